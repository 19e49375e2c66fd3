# 1. A keyring with one primary key: written atomically, mode 0600.
old=$(keyseal keyring new --out keyring.json)

# 2. Seal a session for the cookie named "session", look at it, open it.
token=$(printf '%s' '{"user":"ada"}' | keyseal seal --keyring keyring.json --name session --ttl 24h)
echo "$token" | keyseal inspect
echo "$token" | keyseal open --keyring keyring.json --name session; echo

# 3. Rotate, step 1: add a key. Deploy keyring.json to every instance now,
#    so that each one opens what any other seals.
new=$(keyseal keyring add keyring.json)

# 4. Rotate, step 2: promote it. New tokens are sealed under the new key.
keyseal keyring promote keyring.json "$new"
keyseal keyring show keyring.json

# 5. Tokens sealed before still open, and say they should be re-sealed.
echo "$token" | keyseal open --keyring keyring.json --name session --json

# 6. Rotate, step 3: once tokens sealed under the old key have expired
#    (after --ttl), retire it. Its tokens are now refused with exit code 5.
keyseal keyring retire keyring.json "$old"
echo "$token" | keyseal open --keyring keyring.json --name session || echo "refused: exit code $?"
