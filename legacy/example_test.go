package legacy_test

import (
	"fmt"
	"time"

	"github.com/gorilla/securecookie"

	"github.com/keyseal/keyseal/legacy"
)

func Example() {
	hashKey := []byte("a hash key of the old application, 32+ bytes")
	old := securecookie.New(hashKey, nil)
	old.SetSerializer(securecookie.JSONEncoder{})
	value, _ := old.Encode("session", map[string]string{"user": "alice"})

	d, _ := legacy.New(legacy.Config{
		Keys:     []legacy.Keys{{Hash: hashKey}},
		Encoding: legacy.JSONEncoding,
		Cutoff:   time.Now().Add(90 * 24 * time.Hour), // then everyone signs in again
	})
	var v map[string]string
	if _, err := d.Decode("session", value, &v); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(v["user"])
	// Output: alice
}
