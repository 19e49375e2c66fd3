package codec

import (
	"bytes"
	"compress/flate"
	"io"
	"sync"

	"github.com/keyseal/keyseal"
)

// appender is an io.Writer that appends to a slice.
type appender struct{ b []byte }

func (a *appender) Write(p []byte) (int, error) {
	a.b = append(a.b, p...)
	return len(p), nil
}

type deflater struct {
	w   *flate.Writer
	out appender
}

// Compressors are expensive to build (hundreds of KiB each), so they are
// reused. Like the decompressors below, a pooled one keeps the last
// plaintext it saw in its window (up to 64 KiB; 32 KiB for a
// decompressor): Reset does not zero it, and zeroing it on every token
// would cost more than the compression. That memory is the process's own,
// never handed to a caller.
var deflaters = sync.Pool{New: func() any {
	d := new(deflater)
	d.w, _ = flate.NewWriter(&d.out, flate.DefaultCompression) // only fails on a bad level
	return d
}}

// deflate appends the DEFLATE compression of src to dst. It reports false
// when compression does not make src shorter.
func deflate(dst, src []byte) ([]byte, bool) {
	d := deflaters.Get().(*deflater)
	defer deflaters.Put(d)
	d.out.b = dst
	d.w.Reset(&d.out)
	d.w.Write(src) // writes to an appender cannot fail
	d.w.Close()
	z := d.out.b
	d.out.b = nil
	return z, len(z)-len(dst) < len(src)
}

type inflater struct {
	r   io.ReadCloser
	src bytes.Reader
}

var inflaters = sync.Pool{New: func() any {
	i := new(inflater)
	i.r = flate.NewReader(&i.src)
	return i
}}

// inflate appends the decompression of src to dst, refusing output longer
// than limit with keyseal.ErrTooLarge. dst grows only as the output does, so memory
// stays bounded by limit whatever src claims. On error, and in an array
// it outgrows, it leaves none of the output behind after dst's length.
func inflate(dst, src []byte, limit int) ([]byte, error) {
	in := inflaters.Get().(*inflater)
	defer inflaters.Put(in)
	in.src.Reset(src)
	if err := in.r.(flate.Resetter).Reset(&in.src, nil); err != nil {
		return dst, keyseal.ErrMalformed
	}
	start := len(dst)
	for {
		if len(dst)-start > limit {
			return refuse(dst, start, keyseal.ErrTooLarge)
		}
		if len(dst) == cap(dst) {
			grown := append(dst, 0)[:len(dst)]
			clear(dst[start:])
			dst = grown
		}
		// Read at most one byte past the limit, to detect overflow. The
		// sum is formed only when it stays within cap(dst), so a huge limit
		// cannot overflow it.
		room := cap(dst)
		if left := limit - (len(dst) - start); left < cap(dst)-len(dst) {
			room = len(dst) + left + 1
		}
		n, err := in.r.Read(dst[len(dst):room])
		dst = dst[:len(dst)+n]
		if err == io.EOF {
			if len(dst)-start > limit {
				return refuse(dst, start, keyseal.ErrTooLarge)
			}
			return dst, nil
		}
		if err != nil {
			return refuse(dst, start, keyseal.ErrMalformed)
		}
	}
}

// refuse clears the output inflate appended to dst after start, and
// returns dst without it.
func refuse(dst []byte, start int, err error) ([]byte, error) {
	clear(dst[start:])
	return dst[:start], err
}
