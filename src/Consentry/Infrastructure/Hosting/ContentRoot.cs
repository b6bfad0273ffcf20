using Microsoft.Extensions.Hosting;

namespace Consentry.Infrastructure.Hosting;

/// <summary>
/// Where <c>appsettings.json</c> and <c>wwwroot</c> are looked for: the application's own folder, whatever the working
/// directory. The framework's default is the working directory, so <c>cd /srv &amp;&amp; dotnet /opt/consentry/Consentry.dll</c>
/// served no <c>/sdk/link.js</c>, no scripts and no styles, and skipped its settings file (logging fell to Information).
/// A content root given explicitly (<c>--contentRoot</c>, <c>ASPNETCORE_CONTENTROOT</c>; <c>dotnet run</c> passes the
/// project folder, the test host its own) is kept. The data directory stays relative to the working directory.
/// </summary>
internal static class ContentRoot
{
    public static WebApplicationOptions Options(string[] args) => new()
    {
        Args = args,
        ContentRootPath = IsGiven(args) ? null : AppContext.BaseDirectory,
    };

    /// <summary>The host reads its content root from these sources (command line over environment), so they are asked the same way.</summary>
    internal static bool IsGiven(string[] args)
    {
        var configuration = new ConfigurationBuilder()
            .AddEnvironmentVariables("DOTNET_")
            .AddEnvironmentVariables("ASPNETCORE_")
            .AddCommandLine(args)
            .Build();
        return !string.IsNullOrWhiteSpace(configuration[HostDefaults.ContentRootKey]);
    }
}
