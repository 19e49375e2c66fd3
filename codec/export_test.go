package codec

// Test glue for codec_test, which opens the vector files through the public
// API: how a vector's options and error names map onto the package's.
var (
	VectorConfig = vectorConfig
	VectorErrors = vectorErrors
)
