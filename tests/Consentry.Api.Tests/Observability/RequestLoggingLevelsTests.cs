using Consentry.Infrastructure.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Consentry.Api.Tests.Observability;

/// <summary>
/// The framework categories that print URLs are held at a safe level (<see cref="RequestLogging.UrlCategories"/>), and
/// holding them never makes them louder than the configuration says: the Razor Pages invoker, safe from Debug, logged
/// ten Information and Debug lines for every page under the default <c>Microsoft.AspNetCore: Warning</c>.
/// </summary>
public sealed class RequestLoggingLevelsTests
{
    private const string PageInvoker = "Microsoft.AspNetCore.Mvc.RazorPages.Infrastructure.PageActionInvoker";

    [Fact]
    public async Task UnderTheDefaultSettings_ThePageInvoker_StaysAtWarning()
    {
        await using var app = Host(("Logging:LogLevel:Default", "Information"), ("Logging:LogLevel:Microsoft.AspNetCore", "Warning"));
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(PageInvoker);
        Assert.False(log.IsEnabled(LogLevel.Information));
        Assert.False(log.IsEnabled(LogLevel.Debug));
        Assert.True(log.IsEnabled(LogLevel.Warning));
    }

    [Fact]
    public async Task AtTrace_EachCategory_IsHeldAtItsSafeLevel_AndNoLower()
    {
        await using var app = Host(("Logging:LogLevel:Default", "Trace"), ("Logging:Console:LogLevel:Default", "Trace"));
        var factory = app.Services.GetRequiredService<ILoggerFactory>();
        foreach (var (category, minimum) in RequestLogging.UrlCategories)
        {
            var log = factory.CreateLogger(category);
            Assert.True(log.IsEnabled(minimum), $"{category} is quieter than {minimum}");
            Assert.False(log.IsEnabled(minimum - 1), $"{category} logs below {minimum}");
        }

        Assert.True(factory.CreateLogger("Consentry.Anything").IsEnabled(LogLevel.Trace));
    }

    [Theory]
    [InlineData(null, "Microsoft.AspNetCore.Mvc.X", LogLevel.Warning)]
    [InlineData(null, "Microsoft.EntityFrameworkCore.Query", LogLevel.Error)]
    [InlineData(null, "Consentry.Features.X", LogLevel.Information)]
    [InlineData("Console", "Consentry.Features.X", LogLevel.Debug)]
    [InlineData("Console", "Microsoft.AspNetCore.Mvc.X", LogLevel.Debug)]
    public void TheConfiguredLevel_IsTheProvidersRule_ThenTheLongestCategory(string? provider, string category, LogLevel expected)
    {
        LoggerFilterRule[] rules =
        [
            new(null, null, LogLevel.Information, null),
            new(null, "Microsoft.AspNetCore", LogLevel.Warning, null),
            new(null, "Microsoft.EntityFrameworkCore", LogLevel.Error, null),
            new("Console", null, LogLevel.Debug, null),
        ];
        Assert.Equal(expected, RequestLogging.ConfiguredLevel(rules, LogLevel.Trace, provider, category));
    }

    private static WebApplication Host(params (string Key, string Value)[] settings)
    {
        var builder = WebApplication.CreateSlimBuilder();
        foreach (var (key, value) in settings)
        {
            builder.Configuration[key] = value;
        }

        builder.AddRequestLogging();
        return builder.Build();
    }
}
