import Curriculum
import Foundation
import Model
import Testing
@testable import Training

/// A session opened from a checkpoint goes on where it stopped, and saves what it trained.
struct SessionCheckpointTests {
  @Test func aSessionOpenedFromACheckpointContinuesTheRunExactly() throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let run = tinyRun(try scratch.corpus())
    let headless = try Trainer(configuration: run, evaluationInterval: 0)
    for _ in 0..<5 { _ = headless.step(recordTrace: false) }
    let file = scratch.file("five.safetensors")
    try Checkpoint.save(headless, to: file)
    let next = headless.step(recordTrace: false).loss

    var stand = run
    stand.seed = 1
    let session = TrainingSession(checkpoint: file, configuration: stand)
    defer { session.stop() }
    session.waitUntilIdle()
    var snapshot = session.snapshot
    #expect(snapshot.step == 5 && snapshot.firstStep == 5)
    #expect(snapshot.configuration == run, "the checkpoint's own run replaces the stand-in")
    session.step()
    session.waitUntilIdle()
    snapshot = session.snapshot
    #expect(snapshot.step == 6)
    #expect(snapshot.losses == [next])
    session.reset()
    session.waitUntilIdle()
    #expect(session.snapshot.step == 5, "restart goes back to the checkpoint")
  }

  @Test func aCheckpointWhoseCorpusChangedFailsTheSessionWithTrainsMessage() throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let corpus = try scratch.corpus()
    let headless = try Trainer(configuration: tinyRun(corpus), evaluationInterval: 0)
    let file = scratch.file("ck.safetensors")
    try Checkpoint.save(headless, to: file)
    try Data(String(repeating: "something else entirely, long enough to train on. ", count: 20).utf8).write(to: corpus)
    let expected = try #require(#expect(throws: CheckpointError.self) { try Checkpoint.load(from: file) })
    let session = TrainingSession(checkpoint: file, configuration: tinyRun(corpus))
    defer { session.stop() }
    session.waitUntilIdle()
    #expect(session.snapshot.state == .failed(.checkpoint(expected)))
    #expect(expected.description.contains("changed since this checkpoint was written"))
  }

  @Test func savingWritesALoadableCheckpointNamedByLessonAndStepAndNeverReplacesOne() throws {
    let scratch = try Scratch()
    defer { scratch.remove() }
    let run = tinyRun(try scratch.corpus())
    let session = TrainingSession(configuration: run)
    defer { session.stop() }
    for _ in 0..<3 { session.step() }
    let folders = UserFolders(environment: ["XDG_DATA_HOME": scratch.file("data").path])
    let folder = scratch.file("data/nexttoken")
    let saved = Locked<[Result<URL, CheckpointSaveError>]>([])
    for _ in 0..<2 {
      session.saveCheckpoint(in: folders, name: "my notes/GPL-3") { result in saved.withLock { $0.append(result) } }
    }
    session.waitUntilIdle()
    let urls = try saved.withLock { try $0.map { try $0.get() } }
    #expect(urls.allSatisfy { $0.deletingLastPathComponent().standardizedFileURL.path == folder.standardizedFileURL.path })
    #expect(urls.map(\.lastPathComponent) == ["my-notes-GPL-3-step3.safetensors", "my-notes-GPL-3-step3-2.safetensors"])
    let reopened = try Checkpoint.load(from: urls[0])
    #expect(reopened.stepCount == 3)
    #expect(reopened.configuration == run)
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { !$0.hasSuffix(".safetensors") }
    #expect(leftovers.isEmpty, "temporary files left: \(leftovers)")
  }

  @Test func checkpointNamesKeepLettersAndNeverComeOutEmpty() {
    #expect(CheckpointName.sanitized("labels") == "labels")
    #expect(CheckpointName.sanitized("故事.zh.txt") == "故事.zh.txt")
    #expect(CheckpointName.sanitized("../../etc") == "etc")
    #expect(CheckpointName.sanitized("//") == "model")
  }
}
