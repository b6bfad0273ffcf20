using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Consentry.Api.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace Consentry.Sandbox.Tests.Infrastructure;

/// <summary>
/// The standalone sandbox host in a TestServer, with one registered test client, a clock the test moves and every
/// log line captured. Lifetimes are short here (30 s access tokens, 5 min banking consent) so tests move time a little.
/// </summary>
public class SandboxApp : WebApplicationFactory<Program>
{
    public const string ClientId = "test-app";
    public const string ClientSecret = "test-app-secret-0123456789";
    public const string RedirectUri = "https://app.test/oauth/callback";
    public const string OtherRedirectUri = "https://app.test/other?keep=1";
    public static readonly TimeSpan AccessTokenLifetime = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan BankingConsentLifetime = TimeSpan.FromMinutes(5);

    private readonly Dictionary<string, string?> _extra;

    public SandboxApp() => _extra = [];

    private SandboxApp(Dictionary<string, string?> extra) => _extra = extra;

    /// <summary>A host of its own with extra settings (xUnit fixtures need a single public constructor).</summary>
    public static SandboxApp With(Dictionary<string, string?> extra) => new(extra);

    public RunningFakeTime Time { get; } = new();

    public ConcurrentQueue<string> Logs { get; } = new();

    /// <summary>A browser: follows no redirects (the tests read Location) and keeps cookies.</summary>
    public HttpClient Browser() =>
        CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = new Uri("http://localhost") });

    public SandboxDriver Driver() => new(this);

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Time.Dispose(); // stops its pump
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Sandbox:AccessTokenLifetime"] = AccessTokenLifetime.ToString(),
            ["Sandbox:BankingConsentLifetime"] = BankingConsentLifetime.ToString(),
            ["Sandbox:Clients:0:ClientId"] = ClientId,
            ["Sandbox:Clients:0:ClientSecret"] = ClientSecret,
            ["Sandbox:Clients:0:DisplayName"] = "Test <App>",
            ["Sandbox:Clients:0:RedirectUris:0"] = RedirectUri,
            ["Sandbox:Clients:0:RedirectUris:1"] = OtherRedirectUri,
            ["Sandbox:Clients:1:ClientId"] = "other-app",
            ["Sandbox:Clients:1:ClientSecret"] = "other-app-secret",
            ["Sandbox:Clients:1:RedirectUris:0"] = "https://other.test/callback",
        };
        foreach (var (key, value) in _extra)
        {
            settings[key] = value;
        }

        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.ClearProviders().SetMinimumLevel(LogLevel.Trace).AddProvider(new CapturingLoggerProvider(Logs)));
        builder.ConfigureServices(services => services.AddSingleton<TimeProvider>(Time));
    }
}

internal sealed class CapturingLoggerProvider(ConcurrentQueue<string> lines) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, lines);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
    }
}
