// Package routers holds keyseal's cookiesession recipes for common Go
// routers, each a small app tested end to end through a TLS server and a
// cookie jar:
//
//   - muxapp: net/http's ServeMux, wrapped in Manager.LoadAndSave.
//   - chiapp: chi, with r.Use(sessions.LoadAndSave).
//   - echoapp: echo, with e.Use(echo.WrapMiddleware(sessions.LoadAndSave)).
//   - ginapp: gin, with r.Use(ginsession.LoadAndSave(sessions)); gin needs
//     the adapter in package ginsession, since its handlers write through
//     gin's own writer.
//
// It is a separate module so the routers stay out of the library's
// go.mod.
package routers
