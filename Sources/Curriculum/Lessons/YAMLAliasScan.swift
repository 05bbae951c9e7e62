// libyaml's event parser, which Yams is built on: it reads aliases without expanding them.
import CYaml

/// Finds YAML aliases (`*name`) before the front matter is composed into a tree.
///
/// Lesson front matter refuses aliases outright. An alias repeats a whole node, so 40
/// lines of `lN: &lN [*lM, *lM]` stand for 2^40 nodes; Yams composes them as shared
/// values, but compares mapping keys by hashing their full expansion, so one such alias
/// used as a key (`? *l39`) hangs the loader for hours. No lesson field has a use for
/// repetition, so refusing every alias (rather than bounding their expansion) keeps the
/// rule simple to state in one line and costs one linear pass over the events.
enum YAMLAliasScan {
  /// The first alias in `yaml`: its 0-based line and its anchor's name.
  ///
  /// Nil when there is none before the first syntax error; Yams then reports that error,
  /// having composed nothing past it.
  static func firstAlias(in yaml: String) -> (line: Int, name: String)? {
    var parser = yaml_parser_t()
    guard yaml_parser_initialize(&parser) == 1 else { return nil }
    defer { yaml_parser_delete(&parser) }
    let bytes = Array(yaml.utf8)
    return bytes.withUnsafeBufferPointer { buffer -> (line: Int, name: String)? in
      yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
      yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
      var event = yaml_event_t()
      while yaml_parser_parse(&parser, &event) == 1 {
        let type = event.type
        var found: (line: Int, name: String)?
        if type == YAML_ALIAS_EVENT {
          let name = event.data.alias.anchor.map { String(cString: $0) } ?? ""
          found = (Int(event.start_mark.line), name)
        }
        yaml_event_delete(&event)
        if found != nil || type == YAML_STREAM_END_EVENT { return found }
      }
      return nil
    }
  }
}
