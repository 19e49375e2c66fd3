package flask

import (
	"bytes"
	"compress/zlib"
)

// InternalSign signs payload as it is, compressed or not, under c's
// first secret, now: for fuzzing what comes after the signature. It
// reports false when the value would be over MaxTokenSize.
func InternalSign(c *Codec, payload []byte, compress bool) (string, bool) {
	p := b64.EncodeToString(payload)
	if compress {
		var z bytes.Buffer
		zw := zlib.NewWriter(&z)
		zw.Write(payload)
		zw.Close()
		p = "." + b64.EncodeToString(z.Bytes())
	}
	v := c.signPayload(p)
	return v, len(v) <= c.maxToken
}
