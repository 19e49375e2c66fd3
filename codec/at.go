package codec

import (
	"time"

	"github.com/keyseal/keyseal"
)

// At returns the codec acting at time now instead of reading its clock:
// its tokens are issued at now, checked against now, and the ring's primary
// is the primary at now.
//
// It is for callers that have read the clock already and use the codec
// several times for one event, such as an HTTP request that opens its
// session cookie and seals a new one: one clock read instead of one per
// operation (each costs tens of nanoseconds on some virtual machines). The
// caller vouches for now: a time in the past makes expired tokens open.
func (c *Codec) At(now time.Time) Moment { return Moment{c: c, now: now} }

// Moment is a [Codec] at a fixed time, made by [Codec.At]. Its methods are
// the codec's, without the clock read. A Moment is a small value, safe for
// concurrent use like its codec.
type Moment struct {
	c   *Codec
	now time.Time
}

// Open is [Codec.Open] at the moment's time.
func (m Moment) Open(token string) ([]byte, keyseal.Meta, error) {
	pt, meta, err := m.c.appendOpen(nil, token, &m.now)
	if err != nil {
		return nil, keyseal.Meta{}, err
	}
	return pt, meta, nil
}

// AppendOpen is [Codec.AppendOpen] at the moment's time.
func (m Moment) AppendOpen(dst []byte, token string) ([]byte, keyseal.Meta, error) {
	return m.c.appendOpen(dst, token, &m.now)
}

// Seal is [Codec.Seal] at the moment's time: the token is issued then.
func (m Moment) Seal(plaintext []byte) (string, error) {
	return m.c.sealString(plaintext, m.now, m.now.Unix(), m.now.Unix()+m.c.maxAge)
}

// SealAt is [Codec.SealAt], sealed under the primary at the moment's time.
func (m Moment) SealAt(plaintext []byte, issuedAt, expiresAt time.Time) (string, error) {
	return m.c.sealString(plaintext, m.now, issuedAt.Unix(), expiresAt.Unix())
}

// AppendSeal is [Codec.AppendSeal] at the moment's time.
func (m Moment) AppendSeal(dst, plaintext []byte) ([]byte, error) {
	return m.c.appendSeal(dst, plaintext, m.now, m.now.Unix(), m.now.Unix()+m.c.maxAge)
}

// AppendSealAt is [Codec.AppendSealAt], sealed under the primary at the
// moment's time.
func (m Moment) AppendSealAt(dst, plaintext []byte, issuedAt, expiresAt time.Time) ([]byte, error) {
	return m.c.appendSeal(dst, plaintext, m.now, issuedAt.Unix(), expiresAt.Unix())
}
