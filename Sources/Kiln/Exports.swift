// `import Kiln` is all an embedder writes: the store, linker, instance, values, memories and errors of the
// load stage, and the errors of decoding and validation, come with it.
@_exported import KilnLoad
@_exported import struct KilnDecode.DecodeError
@_exported import struct KilnValidate.ValidationError
@_exported import struct KilnBuild.BuildError
@_exported import protocol KilnModel.KilnError
