using System.Globalization;
using Consentry.Core.Webhooks;
using Microsoft.AspNetCore.Http;
using StandardWebhook = global::StandardWebhooks.StandardWebhook;
using WebhookVerificationException = global::StandardWebhooks.Diagnostics.WebhookVerificationException;

namespace Consentry.Api.Tests.Webhooks;

/// <summary>
/// Our signing (the StandardWebhooks package plus rotation) held to the Standard Webhooks specification's published test
/// vector (shared/reference/TEST-VECTORS.md), to the package's own verifier, and to <see cref="SignatureVerifier"/>,
/// written from the specification and shared with neither.
/// </summary>
public sealed class WebhookSigningTests
{
    private const string VectorSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string VectorId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private const long VectorTimestamp = 1614265330;
    private const string VectorBody = """{"test": 2432232314}""";
    private const string VectorSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    [Fact]
    public void Sign_PublishedTestVector_MatchesTheSpecification()
    {
        Assert.Equal(VectorSignature, WebhookSigning.Sign(VectorSecret, VectorId, VectorTimestamp, VectorBody));
        // The specification's libraries accept the secret without its prefix too.
        Assert.Equal(VectorSignature, WebhookSigning.Sign(VectorSecret["whsec_".Length..], VectorId, VectorTimestamp, VectorBody));
    }

    [Fact]
    public void SignAll_FromDecodedKeysAndUtf8Body_EqualsThePackagesSignatures()
    {
        // The delivery worker's path: keys decoded once per claim, the body encoded once per event.
        Assert.Equal(VectorSignature, WebhookSigning.SignAll([WebhookSigning.Key(VectorSecret)], VectorId, VectorTimestamp, System.Text.Encoding.UTF8.GetBytes(VectorBody)));
        var secrets = new[] { WebhookSigning.NewSecret(), WebhookSigning.NewSecret()["whsec_".Length..], WebhookSigning.NewSecret() };
        foreach (var body in new[] { "{}", """{"name":"Café ✓ 😀","n":1.50}""", new string('x', 70_000) })
        {
            Assert.Equal(WebhookSigning.SignAll(secrets, "msg_2", 1_764_900_000, body),
                WebhookSigning.SignAll([.. secrets.Select(WebhookSigning.Key)], "msg_2", 1_764_900_000, System.Text.Encoding.UTF8.GetBytes(body)));
        }
    }

    [Fact]
    public void NewSecret_IsWhsecAnd24RandomBytes()
    {
        var (a, b) = (WebhookSigning.NewSecret(), WebhookSigning.NewSecret());
        Assert.StartsWith("whsec_", a, StringComparison.Ordinal);
        Assert.Equal(24, Convert.FromBase64String(a["whsec_".Length..]).Length);
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void SignAll_TwoSecrets_EachVerifies()
    {
        // Newest first, as the delivery worker orders them during a rotation.
        var (fresh, old) = (WebhookSigning.NewSecret(), WebhookSigning.NewSecret());
        var now = DateTimeOffset.UtcNow;
        var headers = Headers("msg_1", now.ToUnixTimeSeconds(), WebhookSigning.SignAll([fresh, old], "msg_1", now.ToUnixTimeSeconds(), "{}"));

        Assert.Equal(2, headers["webhook-signature"].ToString().Split(' ').Length);
        new StandardWebhook(fresh).Verify("{}", headers);
        Assert.Throws<WebhookVerificationException>(() => new StandardWebhook(WebhookSigning.NewSecret()).Verify("{}", headers));
        Assert.Throws<WebhookVerificationException>(() => new StandardWebhook(fresh).Verify("{ }", headers));

        // The package's Verify 1.1.2 never reaches the last of several signatures (its loop ends when no space follows),
        // so the old secret's signature is checked with the independent verifier (and the node library in sdk-compat).
        var plain = headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        Assert.True(SignatureVerifier.Verify(fresh, plain, "{}", now));
        Assert.True(SignatureVerifier.Verify(old, plain, "{}", now));
        Assert.False(SignatureVerifier.Verify(WebhookSigning.NewSecret(), plain, "{}", now));
        Assert.False(SignatureVerifier.Verify(old, plain, "{ }", now));
        Assert.False(SignatureVerifier.Verify(old, plain, "{}", now.AddMinutes(6)));
    }

    [Fact]
    public void Verify_TimestampOutsideFiveMinutes_IsRefusedByThePackage()
    {
        var stale = DateTimeOffset.UtcNow.AddMinutes(-6).ToUnixTimeSeconds();
        var headers = Headers(VectorId, stale, WebhookSigning.Sign(VectorSecret, VectorId, stale, VectorBody));
        Assert.Throws<WebhookVerificationException>(() => new StandardWebhook(VectorSecret).Verify(VectorBody, headers));
    }

    private static HeaderDictionary Headers(string id, long timestamp, string signature) => new()
    {
        ["webhook-id"] = id,
        ["webhook-timestamp"] = timestamp.ToString(CultureInfo.InvariantCulture),
        ["webhook-signature"] = signature,
    };
}
