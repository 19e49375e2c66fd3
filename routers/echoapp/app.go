// Package echoapp is the cookiesession recipe for echo: the Manager's
// LoadAndSave becomes echo middleware through echo.WrapMiddleware, which
// hands the handlers the session's response writer, and handlers reach
// the session with Get(c.Request().Context()).
package echoapp

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v5"

	"github.com/keyseal/keyseal/cookiesession"
)

// User is the session's data.
type User struct {
	Name   string `json:"name"`
	Visits int    `json:"visits,omitempty"`
}

// New returns the app, its sessions managed by sessions.
func New(sessions *cookiesession.Manager[User]) http.Handler {
	e := echo.New()
	e.Use(echo.WrapMiddleware(sessions.LoadAndSave)) // the recipe
	e.GET("/", func(c *echo.Context) error {
		u := sessions.Get(c.Request().Context()).Data()
		if u.Name == "" {
			return c.String(http.StatusOK, "hello, stranger\n")
		}
		return c.String(http.StatusOK, fmt.Sprintf("hello, %s (%d visits)\n", u.Name, u.Visits))
	})
	e.POST("/login", func(c *echo.Context) error {
		name := c.FormValue("name")
		if name == "" { // check the user's credentials here
			return echo.NewHTTPError(http.StatusBadRequest, "who are you?")
		}
		s := sessions.Get(c.Request().Context())
		s.Set(User{Name: name})
		s.Renew() // a new token at every login, against session fixation
		return c.Redirect(http.StatusSeeOther, "/")
	})
	e.POST("/visit", func(c *echo.Context) error {
		sessions.Get(c.Request().Context()).Update(func(u *User) { u.Visits++ })
		return c.Redirect(http.StatusSeeOther, "/")
	})
	e.POST("/logout", func(c *echo.Context) error {
		sessions.Get(c.Request().Context()).Destroy()
		return c.Redirect(http.StatusSeeOther, "/")
	})
	// CrossOriginProtection refuses cross-site form posts (CSRF) before
	// they reach a session.
	return http.NewCrossOriginProtection().Handler(e)
}
