import ArgumentParser

/// The `nexttoken` command: the lesson browser, and the headless tools beside it.
@main
struct NextToken: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "nexttoken",
    abstract: "Learn how language models are trained by stepping through a real one.",
    version: "0.1.0",
    subcommands: [GalleryCommand.self]
  )
}
