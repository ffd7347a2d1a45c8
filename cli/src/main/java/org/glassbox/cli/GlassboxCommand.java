package org.glassbox.cli;

import org.glassbox.commands.AblateCommand;
import org.glassbox.commands.ExplainCommand;
import org.glassbox.commands.InspectCommand;
import org.glassbox.commands.PredictCommand;
import org.glassbox.commands.ReportCommand;
import org.glassbox.imagenet.CropsCommand;
import org.glassbox.imagenet.ImagenetCommand;
import org.glassbox.mnist.MnistCommand;
import org.glassbox.topology.TopologyCommand;
import org.glassbox.words.FactorsCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The root command: wires the demos' subcommands together and holds the global options. */
@Command(name = "glassbox", mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "White-box layered networks: sparse-coding and manifold layers whose atoms can be inspected.",
        subcommands = {MnistCommand.class, PredictCommand.class, ExplainCommand.class, AblateCommand.class,
                ReportCommand.class, InspectCommand.class, FactorsCommand.class, ImagenetCommand.class, CropsCommand.class,
                TopologyCommand.class})
public final class GlassboxCommand {
    @Option(names = "--debug", scope = ScopeType.INHERIT,
            description = "Print stack traces for errors in the input as well.")
    boolean debug;
}
