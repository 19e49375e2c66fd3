// Package ginapp is the cookiesession recipe for gin: the middleware is
// ginsession.LoadAndSave(sessions), which gin needs since its handlers
// write through gin's own writer, and handlers reach the session with
// ginsession.Get(sessions, c).
package ginapp

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/keyseal/keyseal/cookiesession"
	"github.com/keyseal/keyseal/routers/ginsession"
)

// User is the session's data.
type User struct {
	Name   string `json:"name"`
	Visits int    `json:"visits,omitempty"`
}

// New returns the app, its sessions managed by sessions.
func New(sessions *cookiesession.Manager[User]) http.Handler {
	r := gin.New()
	r.Use(gin.Recovery())
	r.Use(ginsession.LoadAndSave(sessions)) // the recipe
	r.GET("/", func(c *gin.Context) {
		u := ginsession.Get(sessions, c).Data()
		if u.Name == "" {
			c.String(http.StatusOK, "hello, stranger\n")
			return
		}
		c.String(http.StatusOK, "hello, %s (%d visits)\n", u.Name, u.Visits)
	})
	r.POST("/login", func(c *gin.Context) {
		name := c.PostForm("name")
		if name == "" { // check the user's credentials here
			c.String(http.StatusBadRequest, "who are you?\n")
			return
		}
		s := ginsession.Get(sessions, c)
		s.Set(User{Name: name})
		s.Renew() // a new token at every login, against session fixation
		c.Redirect(http.StatusSeeOther, "/")
	})
	r.POST("/visit", func(c *gin.Context) {
		ginsession.Get(sessions, c).Update(func(u *User) { u.Visits++ })
		c.Redirect(http.StatusSeeOther, "/")
	})
	r.POST("/logout", func(c *gin.Context) {
		ginsession.Get(sessions, c).Destroy()
		c.Redirect(http.StatusSeeOther, "/")
	})
	// CrossOriginProtection refuses cross-site form posts (CSRF) before
	// they reach a session.
	return http.NewCrossOriginProtection().Handler(r)
}
