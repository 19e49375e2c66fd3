package testkit

// ChunkName is a cookie name suffix and what it makes of a name when
// appended to a chunked cookie's name: Chunk says whether it names a chunk,
// Index which (-1 for an index from the limit of 16 up, refused as too
// large).
type ChunkName struct {
	Suffix string
	Chunk  bool
	Index  int
}

// ChunkNames is the table authjs.Join and cookiesession's legacy chunk
// reader are both tested with, so that they agree.
var ChunkNames = []ChunkName{
	{".0", true, 0},
	{".1", true, 1},
	{".15", true, 15},
	{".16", true, -1},
	{".999", true, -1},
	{".1234", true, -1},
	{".99999999999999999999999", true, -1}, // past any integer type
	{".01", false, 0},
	{".00", false, 0},
	{".", false, 0},
	{".-1", false, 0},
	{".+1", false, 0},
	{".1a", false, 0},
	{". 1", false, 0},
	{".1.2", false, 0},
	{"0", false, 0},
	{"-0", false, 0},
	{".callback-url", false, 0},
	{".０", false, 0}, // a full-width digit
}
