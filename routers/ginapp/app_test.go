package ginapp_test

import (
	"net/http"
	"os"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/keyseal/keyseal/routers/ginapp"
	"github.com/keyseal/keyseal/routers/ginsession"
	"github.com/keyseal/keyseal/routers/internal/flow"
)

func TestMain(m *testing.M) {
	gin.SetMode(gin.TestMode)
	os.Exit(m.Run())
}

func TestFlow(t *testing.T) {
	m, errs := flow.Manager[ginapp.User](t)
	flow.Check(t, ginapp.New(m), m, errs)
}

// TestLateChange: a handler that writes the body before it changes the
// session cannot save it, and OnError hears so.
func TestLateChange(t *testing.T) {
	m, errs := flow.Manager[ginapp.User](t)
	r := gin.New()
	r.Use(ginsession.LoadAndSave(m))
	r.GET("/late", func(c *gin.Context) {
		c.String(http.StatusOK, "written\n")
		ginsession.Get(m, c).Set(ginapp.User{Name: "late"})
	})
	flow.CheckLate(t, r, m, errs, "/late")
}
