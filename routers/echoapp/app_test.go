package echoapp_test

import (
	"net/http"
	"testing"

	"github.com/labstack/echo/v5"

	"github.com/keyseal/keyseal/routers/echoapp"
	"github.com/keyseal/keyseal/routers/internal/flow"
)

func TestFlow(t *testing.T) {
	m, errs := flow.Manager[echoapp.User](t)
	flow.Check(t, echoapp.New(m), m, errs)
}

// TestLateChange: a handler that writes the body before it changes the
// session cannot save it, and OnError hears so.
func TestLateChange(t *testing.T) {
	m, errs := flow.Manager[echoapp.User](t)
	e := echo.New()
	e.Use(echo.WrapMiddleware(m.LoadAndSave))
	e.GET("/late", func(c *echo.Context) error {
		err := c.String(http.StatusOK, "written\n")
		m.Get(c.Request().Context()).Set(echoapp.User{Name: "late"})
		return err
	})
	flow.CheckLate(t, e, m, errs, "/late")
}
