// swift-tools-version: 6.0
import PackageDescription

/// Turns off the optimizer's retain sinking, which Swift 6.3.1 gets wrong.
///
/// It moves the retain of a value read out of an address-only struct (one holding an
/// existential, like `SessionSnapshot`'s tokenizer) below the destroy of that struct, so
/// the copy is retained after it was freed: restarting a run crashed the release build in
/// `TrainingSession.build`. The smallest case is Tests/Miscompiles/RetainSinking.swift;
/// `make check-miscompiles` shows it still fails without this flag and passes with it.
/// Every target takes it, since cross-module optimisation inlines code across them.
let miscompileWorkaround: [SwiftSetting] = [
  .unsafeFlags(["-Xllvm", "-sil-disable-pass=retain-sinking"], .when(configuration: .release)),
]

/// Optimisation flags for the numeric and rendering hot paths.
///
/// Exclusivity checks cost a few percent in the per-layer kernels, which keep
/// their memory in unsafe buffers anyway; cross-module optimisation lets the
/// kernels inline across module boundaries.
let hotPathSettings: [SwiftSetting] = [
  .unsafeFlags(["-enforce-exclusivity=unchecked", "-cross-module-optimization"], .when(configuration: .release)),
] + miscompileWorkaround

let package = Package(
  name: "NextToken",
  platforms: [.macOS(.v15)],
  products: [
    .executable(name: "nexttoken", targets: ["nexttoken"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
  ],
  targets: [
    // System libraries.
    .systemLibrary(name: "CNcursesw", path: "Sources/CNcursesw"),
    .systemLibrary(
      name: "CBLAS", path: "Sources/CBLAS", pkgConfig: "openblas",
      providers: [.apt(["libopenblas-dev"])]),

    // The step's tiny matrix products and elementwise loops, built for
    // AVX2 + FMA and portably, picked at run time (Swift cannot do that).
    .target(name: "CKernels", linkerSettings: [.linkedLibrary("m", .when(platforms: [.linux]))]),

    // The engine: tensors, layers, losses, optimizers, checkpoints and traces.
    .target(name: "Model", dependencies: ["CBLAS", "CKernels"], swiftSettings: hotPathSettings),
    // Tokenizers, corpora, CLM/MLM batches and lessons.
    .target(
      name: "Curriculum",
      dependencies: ["Model", .product(name: "Yams", package: "Yams")],
      swiftSettings: hotPathSettings),
    // The training loop, headless runs, and the session that trains on its own queue.
    .target(name: "Training", dependencies: ["Model", "Curriculum"], swiftSettings: hotPathSettings),
    // Cells, buffers, layout and widgets: knows nothing of ncurses.
    .target(name: "TermUI", swiftSettings: hotPathSettings),
    // The only module that calls ncurses.
    .target(name: "TermUICurses", dependencies: ["TermUI", "CNcursesw"], swiftSettings: miscompileWorkaround),
    // Screens, key handling and the lesson runtime.
    .target(name: "App", dependencies: ["TermUI", "Training", "Curriculum", "Model"], swiftSettings: hotPathSettings),
    .executableTarget(
      name: "nexttoken",
      dependencies: [
        "App", "TermUICurses", "Training", "Curriculum", "Model", "TermUI",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      swiftSettings: hotPathSettings),

    // Tests.
    .target(name: "TestSupport", dependencies: ["TermUI", "Model", "Curriculum"], path: "Tests/TestSupport", swiftSettings: miscompileWorkaround),
    .testTarget(name: "ModelTests", dependencies: ["Model", "CKernels", "TestSupport"], swiftSettings: miscompileWorkaround),
    .testTarget(name: "CurriculumTests", dependencies: ["Curriculum", "TestSupport"], swiftSettings: miscompileWorkaround),
    .testTarget(name: "TermUITests", dependencies: ["TermUI", "TestSupport"], swiftSettings: miscompileWorkaround),
    .testTarget(name: "TrainingTests", dependencies: ["Training", "TestSupport"], swiftSettings: miscompileWorkaround),
    .testTarget(name: "AppTests", dependencies: ["App", "TestSupport"], exclude: ["Goldens"], swiftSettings: miscompileWorkaround),
    .testTarget(name: "EndToEndTests", dependencies: ["nexttoken", "TestSupport"], swiftSettings: miscompileWorkaround),
  ],
  swiftLanguageModes: [.v6]
)
