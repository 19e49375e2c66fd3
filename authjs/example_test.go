package authjs_test

import (
	"fmt"
	"net/http"

	"github.com/keyseal/keyseal/authjs"
)

func Example() {
	sessions, _ := authjs.New(authjs.Config{
		Secrets:    []string{"the AUTH_SECRET shared with the Next.js app"},
		CookieName: authjs.SecureCookieName,
	})
	// In a handler: sessions.OpenCookies(r.Cookies(), &claims). Here the
	// cookie is issued by Seal, as Auth.js would issue it.
	token, _ := sessions.Seal(map[string]string{"sub": "user-1", "email": "ada@example.com"})
	cookies := []*http.Cookie{{Name: authjs.SecureCookieName, Value: token}}

	var claims struct{ Sub, Email string }
	if _, err := sessions.OpenCookies(cookies, &claims); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(claims.Sub, claims.Email)
	// Output: user-1 ada@example.com
}
