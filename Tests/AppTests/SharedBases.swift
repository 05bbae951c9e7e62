import App
import Curriculum
import Foundation
import TestSupport
import Training

/// A data folder for the app tests that open every bundled lesson, with the fine-tuning lessons' bases in it.
///
/// A fine-tuning lesson pre-trains its base the first time it opens and keeps
/// it in the data folder (`UserFolders.bases`). Tests that step through the
/// whole course each have state folders of their own, and with data folders
/// of their own too, each test case would pre-train every base again, which
/// in a debug build (and far longer under the sanitizers) takes most of the
/// test's time. They share this folder instead, in the temporary folder and
/// never the learner's: the first use in a run loads each base, or trains it
/// once if no earlier run left it. A base is found only when its file names
/// the same run and its checkpoint holds that run and step, so a changed
/// lesson trains afresh.
enum SharedBases {
  /// The `XDG_DATA_HOME` to give `UserFolders`; its `bases` holds every bundled fine-tuning lesson's base.
  static let dataHome: URL = {
    let home = FileManager.default.temporaryDirectory.appendingPathComponent("nexttoken-test-data", isDirectory: true)
    let bases = UserFolders(environment: ["XDG_DATA_HOME": home.path]).bases
    let root = packageRoot()
    for language in Language.allCases {
      let corpora = root.appendingPathComponent("Corpora")
      let (lessons, _) = LessonLibrary.loadAll(
        directory: root.appendingPathComponent("Lessons"), language: language, corporaDirectory: corpora)
      for lesson in lessons {
        let run = LessonPlan(lesson: lesson, corporaDirectory: corpora).run
        guard run.objective == .sft, run.base != nil else { continue }
        // The app's tests open lessons with no corpora folder of their own (the plan names its corpus), as here.
        _ = try? Trainer.fineTuningWithBase(configuration: run, corporaDirectory: nil, cache: bases)
      }
    }
    return home
  }()
}
