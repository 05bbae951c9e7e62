// The App module. See DESIGN.md's architecture section for what it owns.
