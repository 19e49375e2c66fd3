# 1. Two keyrings: this app's, and another that will open its JWE tokens.
id=$(keyseal keyring new --out app.json)
keyseal keyring new --out other.json > /dev/null

# 2. Export the key's JWE key as a JWK (key material: only with --reveal;
#    keep it as private as the keyring) and import it into the other ring.
(umask 077; keyseal keyring export-jwk app.json "$id" --reveal > key.jwk)
keyseal keyring import-jwk other.json key.jwk

# 3. Seal JSON claims as a JWE token; any JOSE library holding key.jwk
#    opens it, and so does the other keyring.
jwe=$(printf '%s' '{"sub":"ada"}' | keyseal seal --keyring app.json --format jwe --ttl 1h)
echo "$jwe" | keyseal inspect
echo "$jwe" | keyseal open --keyring other.json --format jwe

# 4. Without --reveal, nothing is printed: exit code 2.
keyseal keyring export-jwk app.json "$id" || echo "refused: exit code $?"
