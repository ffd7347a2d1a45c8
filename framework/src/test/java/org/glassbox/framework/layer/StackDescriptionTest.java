package org.glassbox.framework.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.glassbox.framework.error.GlassboxException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stack files as a user may write them, with the test kind {@code test-centering}. */
class StackDescriptionTest {
    static final String SPEC = "\"kind\": \"test-centering\", \"spec\": {\"scale\": 1.0}";

    @TempDir
    Path tmp;

    Path stack(String json) throws IOException {
        return Files.writeString(tmp.resolve("stack.json"), json);
    }

    @Test
    void readsAStackAndWritesTheSameJson() throws IOException {
        Path file = stack("{\"stages\": [{\"id\": \"L1.center\", " + SPEC + "}], \"readouts\": []}");
        StackDescription read = StackDescription.read(file);
        assertEquals(List.of("L1.center"), read.stages().stream().map(Pipeline.Stage::id).toList());
        assertEquals(read, StackDescription.fromJson(read.toJson()));
    }

    @Test
    void stageIdThatLeavesTheOutputFolderIsRefused() throws IOException {
        Path file = stack("{\"stages\": [{\"id\": \"../../evil\", " + SPEC + "}]}");
        var e = assertThrows(GlassboxException.class, () -> StackDescription.read(file));
        assertEquals(file + ": stages[0]: invalid id = '../../evil': expected 1 to 100 characters from A-Z, a-z, 0-9, "
                + "'.', '-' and '_', not starting with '.'", e.getMessage());
    }

    @Test
    void absoluteReadoutIdIsRefused() throws IOException {
        Path file = stack("{\"stages\": [{\"id\": \"L1\", " + SPEC + "}], \"readouts\": [{\"id\": \"" + tmp.resolve("x")
                + "\", " + SPEC + "}]}");
        var e = assertThrows(GlassboxException.class, () -> StackDescription.read(file));
        assertEquals(file + ": readouts[0]: invalid id = '" + tmp.resolve("x") + "': expected 1 to 100 characters from "
                + "A-Z, a-z, 0-9, '.', '-' and '_', not starting with '.'", e.getMessage());
    }

    @Test
    void stackWithoutStagesIsRefused() throws IOException {
        Path file = stack("{\"stages\": [], \"readouts\": []}");
        var e = assertThrows(GlassboxException.class, () -> StackDescription.read(file));
        assertEquals(file + ": \"stages\" is empty (expected at least one stage)", e.getMessage());
    }

    @Test
    void readoutsThatAreNotAListAreRefused() throws IOException {
        Path file = stack("{\"stages\": [{\"id\": \"L1\", " + SPEC + "}], \"readouts\": {\"r\": {}}}");
        var e = assertThrows(GlassboxException.class, () -> StackDescription.read(file));
        assertEquals(file + ": readouts: expected a list [{\"id\": \"...\", \"kind\": \"...\", \"spec\": {...}}, ...]",
                e.getMessage());
    }

    @Test
    void unknownKindNamesTheStage() throws IOException {
        Path file = stack("{\"stages\": [{\"id\": \"L1\", \"kind\": \"nope\", \"spec\": {}}]}");
        var e = assertThrows(GlassboxException.class, () -> StackDescription.read(file));
        assertEquals(file + ": stages[0]: unknown layer kind 'nope': expected one of [test-centering]", e.getMessage());
    }

    @Test
    void nullHyperparameterIsNamedByItsPath() throws IOException {
        Path file = stack("{\"stages\": [{\"id\": \"L1\", \"kind\": \"test-centering\", \"spec\": {\"scale\": null}}]}");
        var e = assertThrows(GlassboxException.class, () -> StackDescription.read(file));
        assertEquals(file + ": stage \"L1\" (test-centering): spec.scale: Cannot map `null` into type `double`", e.getMessage());
    }

    @Test
    void branchesAreReadInOrderAndWrittenBackOnlyWhenThereAreAny() throws IOException {
        Path file = stack("{\"stages\": [{\"id\": \"L1\", " + SPEC + "}, {\"id\": \"L2\", " + SPEC + "}], "
                + "\"branches\": [[{\"id\": \"P.a\", " + SPEC + "}, {\"id\": \"P.b\", " + SPEC + "}], "
                + "{\"from\": \"L1\", \"stages\": [{\"id\": \"Q\", " + SPEC + "}]}], \"readouts\": []}");
        StackDescription read = StackDescription.read(file);
        assertEquals(List.of(List.of("P.a", "P.b"), List.of("Q")),
                read.branches().stream().map(b -> b.stages().stream().map(Pipeline.Stage::id).toList()).toList());
        assertEquals(java.util.Arrays.asList(null, "L1"), read.branches().stream().map(Pipeline.Branch::from).toList());
        assertEquals(read, StackDescription.fromJson(read.toJson()));
        // a branch reading the input is written as the list of its stages, one reading a stage as an object
        assertEquals(true, read.toJson().get("branches").get(0).isArray());
        assertEquals("L1", read.toJson().get("branches").get(1).get("from").asText());
        StackDescription plain = StackDescription.read(stack("{\"stages\": [{\"id\": \"L1\", " + SPEC + "}]}"));
        assertEquals(List.of("stages", "readouts"), iterable(plain.toJson().fieldNames()));
        assertEquals(List.of("stages", "branches", "readouts"), iterable(read.toJson().fieldNames()));
    }

    private static List<String> iterable(java.util.Iterator<String> names) {
        List<String> list = new java.util.ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
    }

    @Test
    void anEmptyBranchABranchThatIsNotAListAndAnIdUsedTwiceAreRefused() throws IOException {
        String stage = "{\"stages\": [{\"id\": \"L1\", " + SPEC + "}], \"branches\": ";
        Path empty = stack(stage + "[[]]}");
        assertEquals(empty + ": branches[0] is empty (expected at least one stage)",
                assertThrows(GlassboxException.class, () -> StackDescription.read(empty)).getMessage());
        Path object = stack(stage + "[{\"id\": \"P\"}]}");
        assertEquals(object + ": branches[0]: expected a list of stages [{\"id\": \"...\", ...}, ...] or "
                + "{\"from\": \"<stage id>\", \"stages\": [...]}",
                assertThrows(GlassboxException.class, () -> StackDescription.read(object)).getMessage());
        Path nowhere = stack(stage + "[{\"from\": \"L9\", \"stages\": [{\"id\": \"P\", " + SPEC + "}]}]}");
        assertEquals(nowhere + ": branches[0].from: the branch from stage P reads \"L9\", which is not one of the stages "
                + "(expected the id of the stage whose output it reads)",
                assertThrows(GlassboxException.class, () -> StackDescription.read(nowhere)).getMessage());
        Path extra = stack(stage + "[{\"from\": \"L1\", \"stages\": [], \"to\": \"x\"}]}");
        assertEquals(extra + ": branches[0]: expected a list of stages [{\"id\": \"...\", ...}, ...] or "
                + "{\"from\": \"<stage id>\", \"stages\": [...]}",
                assertThrows(GlassboxException.class, () -> StackDescription.read(extra)).getMessage());
        Path twice = stack(stage + "[[{\"id\": \"L1\", " + SPEC + "}]]}");
        assertEquals(twice + ": stage id L1 appears twice (expected unique ids)",
                assertThrows(GlassboxException.class, () -> StackDescription.read(twice)).getMessage());
        Path unknown = stack(stage + "[], \"extra\": 1}");
        assertEquals(unknown + ": unknown field 'extra' (expected stages, branches and readouts)",
                assertThrows(GlassboxException.class, () -> StackDescription.read(unknown)).getMessage());
        Path branches = stack(stage + "[[{\"id\": \"P\", " + SPEC + "}]]}");
        assertEquals(branches + ": \"branches\": the test command fits stacks without branches (this one has 1)",
                assertThrows(GlassboxException.class, () -> StackDescription.readWithoutBranches(branches, "the test command"))
                        .getMessage());
    }

    @Test
    void stageBuiltInCodeWithAnUnsafeIdIsRefused() {
        var e = assertThrows(GlassboxException.class, () -> new Pipeline.Stage(".hidden", new CenteringSpec(1)));
        assertEquals("invalid id = '.hidden': expected 1 to 100 characters from A-Z, a-z, 0-9, '.', '-' and '_', "
                + "not starting with '.'", e.getMessage());
    }
}
