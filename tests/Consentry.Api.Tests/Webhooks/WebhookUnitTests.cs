using System.Net;
using Consentry.Core.Webhooks;
using Consentry.Features.Webhooks;
using Consentry.Features.Webhooks.Delivery;

namespace Consentry.Api.Tests.Webhooks;

public sealed class WebhookUnitTests
{
    [Fact]
    public void Sign_PublishedTestVector_MatchesTheSpecification()
    {
        // shared/reference/TEST-VECTORS.md (the Standard Webhooks reference vector)
        var signature = StandardWebhooks.Sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, """{"test": 2432232314}""");
        Assert.Equal("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", signature);
    }

    [Fact]
    public void SignAll_TwoSecrets_BothVerifyIndependently()
    {
        var (a, b) = (StandardWebhooks.NewSecret(), StandardWebhooks.NewSecret());
        var now = DateTimeOffset.UtcNow;
        var headers = new Dictionary<string, string>
        {
            ["webhook-id"] = "msg_1",
            ["webhook-timestamp"] = now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["webhook-signature"] = StandardWebhooks.SignAll([a, b], "msg_1", now.ToUnixTimeSeconds(), "{}"),
        };

        Assert.True(SignatureVerifier.Verify(a, headers, "{}", now));
        Assert.True(SignatureVerifier.Verify(b, headers, "{}", now));
        Assert.False(SignatureVerifier.Verify(StandardWebhooks.NewSecret(), headers, "{}", now));
        Assert.False(SignatureVerifier.Verify(a, headers, "{ }", now));
        Assert.False(SignatureVerifier.Verify(a, headers, "{}", now.AddMinutes(6)));
    }

    [Theory]
    [InlineData("0,5s,5m,30m,2h,5h,10h,10h", new[] { 0d, 5, 300, 1800, 7200, 18000, 36000, 36000 })]
    [InlineData("0, 1.5s ,1d", new[] { 0d, 1.5, 86400 })]
    [InlineData("10", new[] { 10d })]
    public void ParseSchedule_ValidText_GivesTheDelays(string text, double[] seconds)
    {
        Assert.Equal(seconds.Select(TimeSpan.FromSeconds), WebhookOptions.ParseSchedule(text)!);
    }

    [Theory]
    [InlineData("")]
    [InlineData("5x")]
    [InlineData("-1s")]
    [InlineData("5s,,5m")]
    [InlineData("s")]
    public void ParseSchedule_Malformed_IsRefused(string text) => Assert.Null(WebhookOptions.ParseSchedule(text));

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("127.9.9.9", true)]
    [InlineData("10.1.2.3", true)]
    [InlineData("172.16.0.1", true)]
    [InlineData("172.31.255.255", true)]
    [InlineData("172.32.0.1", false)]
    [InlineData("192.168.1.1", true)]
    [InlineData("169.254.169.254", true)]
    [InlineData("100.64.0.1", true)]
    [InlineData("0.0.0.0", true)]
    [InlineData("224.0.0.1", true)]
    [InlineData("8.8.8.8", false)]
    [InlineData("93.184.216.34", false)]
    [InlineData("::1", true)]
    [InlineData("::", true)]
    [InlineData("fe80::1", true)]
    [InlineData("fd00:ec2::254", true)]
    [InlineData("fc00::1", true)]
    [InlineData("::ffff:127.0.0.1", true)]
    [InlineData("::ffff:10.0.0.1", true)]
    [InlineData("2606:4700:4700::1111", false)]
    public void IsInternal_KnownAddresses(string address, bool expected) =>
        Assert.Equal(expected, NetworkGuard.IsInternal(IPAddress.Parse(address)));
}
