using Consentry.Core.Link;

namespace Consentry.Api.Tests.Link;

public sealed class RedirectTemplateTests
{
    private static readonly string[] AllowList = ["https://app.example.com", "https://{env}.bank.example/", "http://localhost:3000/callback"];

    [Theory]
    [InlineData("https://app.example.com/done?x=1")]
    [InlineData("https://app.example.com")]
    [InlineData("https://app.example.com:443/done")]
    [InlineData("https://APP.Example.COM/done")]
    [InlineData("http://localhost:3000/anything")]
    public void Allowed_SameOrigin_IsAccepted(string url) => Assert.NotNull(RedirectTemplate.Allowed(url, AllowList));

    [Theory]
    [InlineData("https://app.example.com.evil.com/")]                 // suffix look-alike
    [InlineData("https://evil.com/?next=https://app.example.com")]     // allowed URL only in the query
    [InlineData("https://app.example.com@evil.com/")]                  // user info
    [InlineData("https://user:pw@app.example.com/")]                   // user info on the right host
    [InlineData("https://evil.com\\@app.example.com/")]                // backslash trick
    [InlineData("https://evil.com\\app.example.com")]
    [InlineData("http://app.example.com/")]                            // scheme
    [InlineData("https://app.example.com:8443/")]                      // port
    [InlineData("http://localhost:3001/callback")]                     // port
    [InlineData("https://app.example.co/")]                            // truncated TLD
    [InlineData("https://app-example.com/")]
    [InlineData("https://xapp.example.com/")]
    [InlineData("https://app.example.com./")]                          // trailing dot
    [InlineData("https://аpp.example.com/")]                           // Cyrillic a (IDN homograph)
    [InlineData("https://app%2eexample%2ecom/")]                       // encoded dots
    [InlineData("https://app.example.com%2f.evil.com/")]
    [InlineData("https://app.example.com%00.evil.com/")]
    [InlineData("//app.example.com/done")]                             // scheme-relative
    [InlineData("/done")]
    [InlineData("javascript:alert(document.domain)//https://app.example.com")]
    [InlineData("data:text/html,<script>alert(1)</script>")]
    [InlineData("https://app.example.com\t.evil.com/")]
    [InlineData("")]
    public void Allowed_NearMisses_AreRefused(string url) => Assert.Null(RedirectTemplate.Allowed(url, AllowList));

    [Fact]
    public void Fill_ReservedAndCustomPlaceholders_AreEncoded_AndMissingOnesEmpty()
    {
        var reserved = new Dictionary<string, string> { ["companyId"] = "c-1", ["statusCode"] = "403", ["errorMessage"] = "User cancelled." };
        var custom = new Dictionary<string, string> { ["ref"] = "a&b=c", ["statusCode"] = "200" };

        var url = RedirectTemplate.Fill("https://app.example.com/{companyId}?s={statusCode}&m={errorMessage}&r={ref}&x={unknown}", reserved, custom);

        Assert.Equal("https://app.example.com/c-1?s=403&m=User%20cancelled.&r=a%26b%3Dc&x=", url);
    }

    [Fact]
    public void Fill_PlaceholderInTheHost_CannotEscapeTheAllowList()
    {
        var custom = new Dictionary<string, string> { ["env"] = "evil.com/" };
        var url = RedirectTemplate.Fill("https://{env}.bank.example/done", new Dictionary<string, string>(), custom);

        Assert.Null(RedirectTemplate.Allowed(url, ["https://staging.bank.example"]));
        Assert.NotNull(RedirectTemplate.Allowed(
            RedirectTemplate.Fill("https://{env}.bank.example/done", new Dictionary<string, string>(), new Dictionary<string, string> { ["env"] = "staging" }),
            ["https://staging.bank.example"]));
    }

    [Theory]
    [InlineData(200, "")]
    [InlineData(201, "")]
    [InlineData(403, "User cancelled.")]
    [InlineData(500, "Unknown error occurred.")]
    [InlineData(501, "Not supported.")]
    public void ErrorMessage_IsCodatsTextForTheStatus(int status, string text) => Assert.Equal(text, RedirectTemplate.ErrorMessage(status));
}
