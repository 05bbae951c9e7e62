import ArgumentParser

/// The `nexttoken` command: the lesson browser, and the headless tools beside it.
@main
struct NextToken: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "nexttoken",
    abstract: "Learn how language models are trained by stepping through a real one.",
    discussion: """
      Without a subcommand, opens the lesson browser. The headless commands (train, \
      generate, shannon, export, trace, map, bpe, bench) work without a terminal UI. The lessons \
      and corpora are read from share/nexttoken beside the program's bin folder (where \
      make install and the package put them), else from the source checkout it was built \
      in, else from the current folder only when it is a source checkout (Package.swift and \
      Sources/nexttoken beside them; a note on standard error says so); NEXTTOKEN_LESSONS and \
      NEXTTOKEN_CORPORA name other folders, and `nexttoken lessons` shows which were used. A \
      corpus is a UTF-8 text file of at most 8 MB. What the app \
      remembers is kept under $XDG_STATE_HOME/nexttoken (~/.local/state/nexttoken), \
      files you keep under $XDG_DATA_HOME/nexttoken (~/.local/share/nexttoken).
      """,
    // The one place the version is written: `--version` prints it, `make deb` names the package by it.
    version: "0.1.0",
    subcommands: [
      BrowseCommand.self, LearnCommand.self, LessonsCommand.self, ProgressCommand.self, TrainCommand.self,
      GenerateCommand.self, ShannonCommand.self, ExportCommand.self, TokenizeCommand.self, MapCommand.self, BPECommand.self, TraceCommand.self, BenchCommand.self, GalleryCommand.self, FirstFrameCommand.self,
    ],
    defaultSubcommand: BrowseCommand.self
  )
}
