# Makes and reads Rails encrypted session cookies with Rails' own cookie
# jar (ActionDispatch::Cookies, ActiveSupport::MessageEncryptor), for the
# keyseal interop tests. It reads a JSON array of tasks on stdin and
# writes a JSON array of results on stdout.
#
# A task: {"op": "write"|"read", "secrets": [newest, older...],
# "sha256": bool, "gcm": bool, "metadata": bool,
# "serializer": "json"|"hybrid"|"marshal", "name": cookie name,
# "data": session (write), "expires": unix seconds or null (write),
# "value": the cookie value as sent by a browser (read)}.
# A result: {"value": escaped cookie value} or {"data": session or null}.
require "json"
require "openssl"
require "rack"
require "action_dispatch"
require "action_dispatch/middleware/cookies"
require "active_support"
require "active_support/key_generator"
require "active_support/messages/rotation_configuration"

# Rails 7's KeyGenerator with hash_digest_class SHA256, which
# ActiveSupport 6.1 lacks: PBKDF2-HMAC-SHA256 through OpenSSL, as Rails 7
# calls it.
class SHA256KeyGenerator
  def initialize(secret, iterations)
    @secret, @iterations = secret, iterations
  end

  def generate_key(salt, key_size = 64)
    OpenSSL::PKCS5.pbkdf2_hmac(@secret, salt, @iterations, key_size, OpenSSL::Digest::SHA256.new)
  end
end

def key_generator(secret, sha256)
  gen = sha256 ? SHA256KeyGenerator.new(secret, 1000) : ActiveSupport::KeyGenerator.new(secret, iterations: 1000)
  ActiveSupport::CachingKeyGenerator.new(gen)
end

# request builds the Rack env a Rails app's cookie middleware sees, with
# Rails' default salts; older secrets are rotations, as an app lists them
# in config.action_dispatch.cookies_rotations.
def request(task, cookie = nil)
  secret, *old = task["secrets"]
  rotations = ActiveSupport::Messages::RotationConfiguration.new
  old.each do |o|
    gen = key_generator(o, task["sha256"])
    rotations.rotate :encrypted, gen.generate_key("authenticated encrypted cookie", 32), cipher: "aes-256-gcm"
    rotations.rotate :encrypted, gen.generate_key("encrypted cookie", 32),
      gen.generate_key("signed encrypted cookie"), cipher: "aes-256-cbc", digest: "SHA1"
  end
  env = Rack::MockRequest.env_for("https://example.com/")
  env["HTTP_COOKIE"] = cookie if cookie
  env.merge!(
    "action_dispatch.key_generator" => key_generator(secret, task["sha256"]),
    "action_dispatch.secret_key_base" => secret,
    "action_dispatch.signed_cookie_salt" => "signed cookie",
    "action_dispatch.encrypted_cookie_salt" => "encrypted cookie",
    "action_dispatch.encrypted_signed_cookie_salt" => "signed encrypted cookie",
    "action_dispatch.authenticated_encrypted_cookie_salt" => "authenticated encrypted cookie",
    "action_dispatch.use_authenticated_cookie_encryption" => task["gcm"],
    "action_dispatch.use_cookies_with_metadata" => task["metadata"],
    "action_dispatch.cookies_serializer" => task["serializer"].to_sym,
    "action_dispatch.cookies_rotations" => rotations,
  )
  ActionDispatch::Request.new(env)
end

def run(task)
  name = task["name"]
  case task["op"]
  when "write"
    req = request(task)
    opts = { value: task["data"] }
    opts[:expires] = Time.at(task["expires"]) if task["expires"]
    req.cookie_jar.encrypted[name] = opts
    headers = {}
    req.cookie_jar.write(headers)
    line = Array(headers["Set-Cookie"]).join("\n").split("\n").find { |l| l.start_with?("#{name}=") }
    { "value" => line.split(";").first.delete_prefix("#{name}=") }
  when "read"
    req = request(task, "#{name}=#{task["value"]}")
    { "data" => req.cookie_jar.encrypted[name] }
  else
    { "error" => "unknown op" }
  end
rescue => e
  { "error" => "#{e.class}: #{e.message}" }
end

puts JSON.generate(JSON.parse($stdin.read).map { |t| run(t) })
