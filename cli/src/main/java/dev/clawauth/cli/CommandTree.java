package dev.clawauth.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The command hierarchy, instantiated lazily: only the branch the arguments name is built, the
 * whole tree only when no branch is named (help, usage errors). picocli reflects over every
 * command object it is given, and for a one-shot command like {@code models status --check} that
 * reflection was most of the start-up time.
 */
final class CommandTree {
  private CommandTree() {}

  record Node(Class<?> type, List<Node> children) {
    String name() {
      return type.getAnnotation(Command.class).name();
    }
  }

  private static Node node(Class<?> type, Node... children) {
    return new Node(type, List.of(children));
  }

  static final Node ROOT = node(ClawauthCommand.class,
      node(ModelsCommand.class,
          node(StatusCommand.class),
          node(AuthCommand.class,
              node(OrderCommand.class,
                  node(OrderCommand.Get.class), node(OrderCommand.Set.class), node(OrderCommand.Clear.class)),
              node(AddCommand.class), node(PasteTokenCommand.class), node(PasteApiKeyCommand.class),
              node(SetupTokenCommand.class), node(ListCommand.class), node(RemoveCommand.class),
              node(LoginCommand.class), node(RefreshCommand.class))),
      node(AgentsCommand.class, node(AgentsCommand.Add.class), node(AgentsCommand.ListAgents.class)),
      node(OnboardCommand.class),
      node(ChannelsCommand.class, node(ChannelsCommand.ListChannels.class)),
      node(DoctorCommand.class),
      node(GatewayCommand.class, node(GatewayCommand.TokenCommand.class), node(GatewayInstallCommand.class),
          node(GatewayUninstallCommand.class), node(GatewayStatusCommand.class), node(GatewayRestartCommand.class),
          node(GatewayKeysCommand.class, node(GatewayKeysCommand.Create.class), node(GatewayKeysCommand.ListKeys.class),
              node(GatewayKeysCommand.Revoke.class))),
      node(MonitorCommand.class, node(MonitorInstallCommand.class), node(MonitorUninstallCommand.class),
          node(MonitorRunCommand.class)),
      node(StoreCommand.class, node(StoreMigrateCommand.class), node(StoreRekeyCommand.class),
          node(StoreKeygenCommand.class)),
      node(ChatCommand.class),
      node(CommandLine.HelpCommand.class));

  /** The command line for {@code args}, with the branch they select (or everything) attached. */
  static CommandLine build(String[] args) {
    CommandLine root = new CommandLine(ROOT.type());
    attach(root, ROOT, List.of(args));
    return root;
  }

  private static void attach(CommandLine cmd, Node node, List<String> args) {
    if (node.children().isEmpty()) {
      return;
    }
    int at = firstWord(args);
    Node chosen = null;
    if (at >= 0) {
      for (Node c : node.children()) {
        if (c.name().equals(args.get(at)) && c.type() != CommandLine.HelpCommand.class) {
          chosen = c;
        }
      }
    }
    if (chosen != null) {
      CommandLine child = new CommandLine(chosen.type());
      cmd.addSubcommand(child);
      attach(child, chosen, args.subList(at + 1, args.size()));
      return;
    }
    for (Node c : node.children()) {
      CommandLine child = new CommandLine(c.type());
      cmd.addSubcommand(child);
      attach(child, c, List.of());
    }
  }

  // Group commands take only flags, so the first argument that is not an option names the branch.
  private static int firstWord(List<String> args) {
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.equals("--")) {
        return -1;
      }
      if (!a.startsWith("-")) {
        return i;
      }
    }
    return -1;
  }
}
