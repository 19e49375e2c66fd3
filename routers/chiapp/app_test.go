package chiapp_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/go-chi/chi/v5"

	"github.com/keyseal/keyseal/routers/chiapp"
	"github.com/keyseal/keyseal/routers/internal/flow"
)

func TestFlow(t *testing.T) {
	m, errs := flow.Manager[chiapp.User](t)
	flow.Check(t, chiapp.New(m), m, errs)
}

// TestLateChange: a handler that writes the body before it changes the
// session cannot save it, and OnError hears so.
func TestLateChange(t *testing.T) {
	m, errs := flow.Manager[chiapp.User](t)
	r := chi.NewRouter()
	r.Use(m.LoadAndSave)
	r.Get("/late", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "written")
		m.Get(r.Context()).Set(chiapp.User{Name: "late"})
	})
	flow.CheckLate(t, r, m, errs, "/late")
}
