package demo

import (
	"html/template"
	"net/http"
	"time"

	"github.com/keyseal/keyseal/keyring"
)

type pageData struct {
	Session  Session
	Meta     metaView
	Flashes  []string
	Keys     []keyView
	Controls bool
	Token    string // the key forms' token; only when Controls
	Instance string
	Refused  int64
}

type metaView struct {
	New                           bool
	KeyID                         uint32
	IssuedAt, ExpiresAt, Absolute string
}

type keyView struct {
	keyring.KeyInfo
	Effective string // the state that applies now
	Seals     uint64
	Opens     uint64
}

func (s *Server) page(w http.ResponseWriter, r *http.Request) {
	sess := s.sessions.Get(r.Context())
	m := sess.Meta()
	d := pageData{
		Session:  sess.Data(),
		Flashes:  sess.Flashes(),
		Controls: s.controls,
		Instance: s.opts.Instance,
		Refused:  s.invalid.Load(),
		Meta: metaView{New: m.New, KeyID: m.KeyID, IssuedAt: stamp(m.IssuedAt),
			ExpiresAt: stamp(m.ExpiresAt), Absolute: stamp(m.AbsoluteExpiry)},
	}
	if d.Controls {
		d.Token = s.token
	}
	if loggedOut(w, r) {
		d.Flashes = append(d.Flashes, "Logged out.")
	}
	ring := s.keys.Current()
	primary := ring.Primary(s.now())
	usage := ring.Usage()
	for i, info := range ring.Info() {
		v := keyView{KeyInfo: info, Effective: info.State.String(), Seals: usage[i].Seals, Opens: usage[i].Opens}
		if info.ID == primary.ID() {
			v.Effective = "primary"
		} else if info.State == keyring.Primary {
			v.Effective = "active"
		}
		d.Keys = append(d.Keys, v)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := pageTemplate.Execute(w, d); err != nil {
		s.log.Error("demo: rendering the page", "err", err)
	}
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02 15:04:05 UTC")
}

var pageTemplate = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>keyseal demo</title>
<style>
body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{font-size:1.6rem} table{border-collapse:collapse;width:100%} td,th{border-bottom:1px solid #ddd;padding:.3rem;text-align:left}
.flash{background:#eef6ee;border:1px solid #9c9;padding:.5rem 1rem;margin:.5rem 0}
form.inline{display:inline} button{margin:.1rem} code{background:#f3f3f3;padding:0 .2rem}
.muted{color:#666;font-size:.9rem}
</style></head><body>
<h1>keyseal demo{{if .Instance}} <small class="muted">instance {{.Instance}}</small>{{end}}</h1>
<p class="muted">The whole session lives in a sealed cookie: no session store. Development mode: plain HTTP on this machine only.</p>
{{range .Flashes}}<div class="flash" id="flash">{{.}}</div>{{end}}
{{if .Session.User}}
<p id="who">Logged in as <strong id="user">{{.Session.User}}</strong>.</p>
<p>Counter: <strong id="counter">{{.Session.Count}}</strong>
<form class="inline" method="post" action="/count"><button id="increment">+1</button></form></p>
<form method="post" action="/logout"><button id="logout">Log out</button></form>
{{else}}
<form method="post" action="/login" id="login-form">
<label>User name <input name="user" id="user-input" maxlength="64" required></label>
<button id="login">Log in</button></form>
{{end}}
<h2>This session's cookie</h2>
{{if .Meta.New}}<p id="session-meta">No session cookie.</p>{{else}}
<table id="session-meta">
<tr><th>Sealed under key</th><td id="key-id">{{.Meta.KeyID}}</td></tr>
<tr><th>Issued</th><td>{{.Meta.IssuedAt}}</td></tr>
<tr><th>Expires if idle</th><td>{{.Meta.ExpiresAt}}</td></tr>
<tr><th>Expires at the latest</th><td>{{.Meta.Absolute}}</td></tr>
</table>{{end}}
<h2>Keyring</h2>
<table id="keys"><tr><th>Key ID</th><th>State</th><th>Fingerprint</th><th title="Cookies this instance has sealed under the key since it started">Seals</th><th title="Cookies this instance has opened under the key since it started">Opens</th>{{if .Controls}}<th></th>{{end}}</tr>
{{range .Keys}}<tr data-key="{{.ID}}" data-state="{{.Effective}}"><td>{{.ID}}</td><td class="state">{{.Effective}}</td><td><code>{{.Fingerprint}}</code></td><td>{{.Seals}}</td><td>{{.Opens}}</td>
{{if $.Controls}}<td>{{if eq .Effective "active"}}
<form class="inline" method="post" action="/keys/promote"><input type="hidden" name="id" value="{{.ID}}"><input type="hidden" name="token" value="{{$.Token}}"><button class="promote">Promote</button></form>
<form class="inline" method="post" action="/keys/retire"><input type="hidden" name="id" value="{{.ID}}"><input type="hidden" name="token" value="{{$.Token}}"><button class="retire">Retire</button></form>
{{else if eq .Effective "retired"}}
<form class="inline" method="post" action="/keys/remove"><input type="hidden" name="id" value="{{.ID}}"><input type="hidden" name="token" value="{{$.Token}}"><button class="remove">Remove</button></form>
{{end}}</td>{{end}}</tr>
{{end}}</table>
<p class="muted" id="keys-note">Seals and Opens count the cookies this instance has sealed and opened under each key since it started: a key nobody's cookie uses any more stops opening.</p>
{{if .Controls}}<form method="post" action="/keys/add"><input type="hidden" name="token" value="{{.Token}}"><button id="add-key">Add a key</button></form>
<p class="muted">Rotation: add a key, promote it (your cookie is re-sealed under it at once, other visitors' on their next request, and everyone stays logged in), then retire the old key (cookies still sealed under it are refused).</p>{{end}}
<p class="muted">Cookies refused by this instance: <span id="refused">{{.Refused}}</span>.</p>
</body></html>
`))
