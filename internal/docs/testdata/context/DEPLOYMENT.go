// The names DEPLOYMENT.md's fragments leave to the reader.

package snippet

// Session is the application's session type.
type Session struct{ UserID int }

// metrics stands for the application's metrics.
var metrics struct{ KeyringReloadErrors interface{ Inc() } }
