package muxapp_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/keyseal/keyseal/routers/internal/flow"
	"github.com/keyseal/keyseal/routers/muxapp"
)

func TestFlow(t *testing.T) {
	m, errs := flow.Manager[muxapp.User](t)
	flow.Check(t, muxapp.New(m), m, errs)
}

// TestLateChange: a handler that writes the body before it changes the
// session cannot save it, and OnError hears so.
func TestLateChange(t *testing.T) {
	m, errs := flow.Manager[muxapp.User](t)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /late", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "written")
		m.Get(r.Context()).Set(muxapp.User{Name: "late"})
	})
	flow.CheckLate(t, m.LoadAndSave(mux), m, errs, "/late")
}
