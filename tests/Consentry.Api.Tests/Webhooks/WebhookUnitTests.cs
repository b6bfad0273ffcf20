using System.Net;
using Consentry.Core.Webhooks;
using Consentry.Features.Webhooks;
using Consentry.Features.Webhooks.Delivery;

namespace Consentry.Api.Tests.Webhooks;

public sealed class WebhookUnitTests
{
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
