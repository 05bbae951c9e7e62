/// Named tensors for checkpoints and traces, in the safetensors layout DESIGN.md fixes.
extension GPT {
  /// Every parameter under its Hugging Face name and shape, optionally prefixed (e.g. "next.").
  public func parameterTensors(prefix: String = "") -> [String: SafetensorsFile.Tensor] {
    var tensors: [String: SafetensorsFile.Tensor] = [:]
    for spec in layout.tensors {
      tensors[prefix + spec.name] = SafetensorsFile.Tensor(shape: spec.shape, floats: Array(parameterStorage[spec.range]))
    }
    return tensors
  }

  /// Every gradient under `grad.<name>` with its parameter's shape.
  public func gradientTensors() -> [String: SafetensorsFile.Tensor] {
    var tensors: [String: SafetensorsFile.Tensor] = [:]
    for spec in layout.tensors {
      tensors["grad." + spec.name] = SafetensorsFile.Tensor(shape: spec.shape, floats: Array(gradientStorage[spec.range]))
    }
    return tensors
  }

  /// The last training forward pass as trace tensors.
  ///
  /// `batch.input_ids` and `batch.labels` (I32, B×T), `act.h.<i>.attn.weights`
  /// (B×H×T×T), `act.logits` and `act.probs` (B×T×V), `act.losses` (B×T) and,
  /// when the pass had labels, `loss` (a scalar).
  public func activationTensors() -> [String: SafetensorsFile.Tensor] {
    let B = lastBatch, T = lastLength, V = config.vocabSize
    var tensors: [String: SafetensorsFile.Tensor] = [
      "batch.input_ids": .init(shape: [B, T], ints: lastInputs),
      "act.logits": .init(shape: [B, T, V], floats: logits),
      "act.probs": .init(shape: [B, T, V], floats: probabilities),
      "act.losses": .init(shape: [B, T], floats: positionLosses),
    ]
    if let lastLoss {
      tensors["batch.labels"] = .init(shape: [B, T], ints: lastLabels)
      tensors["loss"] = .init(shape: [], floats: [lastLoss])
    }
    for layer in 0..<config.layers {
      tensors["act.h.\(layer).attn.weights"] = .init(shape: [B, config.heads, T, T], floats: attentionWeights(layer: layer))
    }
    return tensors
  }

  /// Loads every parameter from `tensors` (names and shapes as `parameterTensors()`; extra names are ignored).
  ///
  /// Checks all names, shapes and dtypes before changing anything, and throws
  /// a one-line error naming `file` and the first tensor that does not fit.
  public func load(parameters tensors: [String: SafetensorsFile.Tensor], file: String) throws(ModelError) {
    var values: [Float] = []
    values.reserveCapacity(layout.totalCount)
    for spec in layout.tensors {
      guard let tensor = tensors[spec.name] else { throw ModelError("\(file): missing tensor \(spec.name)") }
      guard tensor.shape == spec.shape else {
        throw ModelError("\(file): tensor \(spec.name) has shape \(tensor.shape), expected \(spec.shape)")
      }
      guard case .f32(let floats) = tensor.values else {
        throw ModelError("\(file): tensor \(spec.name) has dtype \(tensor.values.dtype.rawValue), expected F32")
      }
      values += floats
    }
    try load(parameters: values)
  }
}

extension Optimizer {
  /// The optimizer state as safetensors tensors (`optim.m.<param>`, `optim.v.<param>`).
  public func stateSafetensors() -> [String: SafetensorsFile.Tensor] {
    var tensors: [String: SafetensorsFile.Tensor] = [:]
    for state in stateTensors() { tensors[state.name] = .init(shape: state.shape, floats: state.values) }
    return tensors
  }

  /// Restores state from the `optim.` tensors of a checkpoint, checking each shape against `layout`.
  public func loadState(
    safetensors tensors: [String: SafetensorsFile.Tensor], stepCount: Int, layout: ParameterLayout, file: String
  ) throws(ModelError) {
    var values: [String: [Float]] = [:]
    for (name, tensor) in tensors where name.hasPrefix("optim.") {
      let parameter = name.split(separator: ".", maxSplits: 2).last.map(String.init) ?? ""
      if let spec = layout[parameter], tensor.shape != spec.shape {
        throw ModelError("\(file): tensor \(name) has shape \(tensor.shape), expected \(spec.shape)")
      }
      guard case .f32(let floats) = tensor.values else {
        throw ModelError("\(file): tensor \(name) has dtype \(tensor.values.dtype.rawValue), expected F32")
      }
      values[name] = floats
    }
    do {
      try loadState(values, stepCount: stepCount, layout: layout)
    } catch {
      throw ModelError("\(file): \(error.message)")
    }
  }
}

extension GPT {
  /// The token embedding rows of the last batch's inputs (B, T, C): the first addend of `inputEmbedding`.
  public var tokenEmbeddingSlice: [Float] {
    lastInputs.flatMap { tokenEmbedding(token: $0) }
  }

  /// The position embedding rows 0..<T of the last pass (T, C): the second addend of `inputEmbedding`.
  public var positionEmbeddingSlice: [Float] {
    Array(parameterStorage[layout.wpe..<(layout.wpe + lastLength * config.channels)])
  }
}
