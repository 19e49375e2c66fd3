package authjs_test

import (
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/keyseal/keyseal/authjs"
)

func Example() {
	sessions, _ := authjs.New(authjs.Config{
		Secrets:    []string{"the AUTH_SECRET shared with the Next.js app"},
		CookieName: authjs.SecureCookieName,
	})
	// In a handler: sessions.OpenCookies(r.Cookies()). Here the cookie is
	// issued by Seal, as Auth.js would issue it.
	token, _ := sessions.Seal([]byte(`{"sub":"user-1","email":"ada@example.com"}`))
	cookies := []*http.Cookie{{Name: authjs.SecureCookieName, Value: token}}

	raw, _, err := sessions.OpenCookies(cookies)
	if err != nil {
		fmt.Println(err)
		return
	}
	var claims struct{ Sub, Email string }
	if err := json.Unmarshal(raw, &claims); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(claims.Sub, claims.Email)
	// Output: user-1 ada@example.com
}
