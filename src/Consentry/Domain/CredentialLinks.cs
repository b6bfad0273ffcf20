using System.Text.RegularExpressions;
using Consentry.Connectors;
using Consentry.Connectors.OAuth2;
using Consentry.Core.Connections;
using Consentry.Core.Consents;
using Consentry.Core.Errors;
using Consentry.Core.Integrations;
using Consentry.Core.Link;
using Consentry.Core.Persistence;

namespace Consentry.Domain;

/// <summary>What linking with credentials came to.</summary>
public abstract record CredentialLinkResult
{
    /// <summary>The platform accepted them and the connection is Linked (and saved).</summary>
    public sealed record Linked(Connection Connection) : CredentialLinkResult;

    /// <summary>The values do not fit the form (missing, wrong pattern, unknown field), or the platform takes none: it was not asked.</summary>
    public sealed record Invalid(string Message, IReadOnlyDictionary<string, ReadableText> FieldErrors) : CredentialLinkResult;

    /// <summary>The platform refused them; nothing was stored.</summary>
    public sealed record Refused(string Message) : CredentialLinkResult;

    /// <summary>The platform could not be asked (or cannot be linked with credentials here); nothing was stored.</summary>
    public sealed record Unavailable(ReadableText Text) : CredentialLinkResult
    {
        public string Message => Text.ToString();
    }
}

/// <summary>
/// Linking with credentials, for the Link page and <c>PUT …/connections/{id}/authorization</c> alike (so it sits below
/// both features): the values are checked against the catalogue's form, then against the platform (its
/// <see cref="ICredentialConnector"/>), and only what the platform accepted is stored, encrypted, by the same link as
/// the OAuth callback's: <see cref="ConnectionLifecycle.LinkAsync"/> and the journey's <c>Authorized</c> event, in one
/// save. Values are never logged or put in a message.
/// </summary>
public sealed class CredentialLinks(
    ConsentryDbContext db, IntegrationCatalogue catalogue, PlatformClients platforms, CredentialConnectors connectors, ConnectionLifecycle lifecycle,
    TimeProvider time, ILogger<CredentialLinks> logger)
{
    /// <summary>The longest value accepted in a field (keys and secrets are far shorter).</summary>
    public const int MaxValueLength = 1000;

    private static readonly Dictionary<string, ReadableText> NoFieldErrors = [];

    private static readonly TimeSpan PatternTimeout = TimeSpan.FromMilliseconds(200);

    /// <summary>The platform's credential form, when it has one and a connector checks it here; else null.</summary>
    public CredentialsForm? FormFor(string platformKey) =>
        catalogue.Find(platformKey)?.Credentials is { } form && connectors.For(platformKey) is not null ? form : null;

    /// <summary>Each field's problem (by field name), empty when the values fit the form. Messages name fields, never values.</summary>
    public static Dictionary<string, ReadableText> Validate(CredentialsForm form, IReadOnlyDictionary<string, string> values)
    {
        var errors = new Dictionary<string, ReadableText>(StringComparer.Ordinal);
        foreach (var field in form.Fields)
        {
            var value = values.GetValueOrDefault(field.Name) ?? "";
            if (value.Length == 0)
            {
                if (field.Required)
                {
                    errors[field.Name] = ReadableText.Of($"Enter your {field.Label}.");
                }
            }
            else if (value.Length > MaxValueLength)
            {
                errors[field.Name] = ReadableText.Of($"The {field.Label} is too long: check what you pasted.");
            }
            else if (field.Pattern is { } pattern && !Matches(value, pattern))
            {
                errors[field.Name] = field.HelpText is { } help
                    ? ReadableText.Of($"This does not look like a {field.Label}. {help}")
                    : ReadableText.Of($"This does not look like a {field.Label}.");
            }
        }

        var names = string.Join(", ", form.Fields.Select(f => f.Name));
        foreach (var unknown in values.Keys.Where(k => form.Fields.All(f => f.Name != k)))
        {
            errors[unknown] = ReadableText.Of($"'{Truncate(unknown)}' is not a field of this form; it takes {names}.");
        }

        return errors;
    }

    /// <summary>Checks <paramref name="values"/> and, when the platform accepts them, links <paramref name="connection"/> (tracked).</summary>
    public async Task<CredentialLinkResult> LinkAsync(Connection connection, IReadOnlyDictionary<string, string> values, ConsentCapture? consent,
        CancellationToken ct)
    {
        var integration = catalogue.Find(connection.PlatformKey);
        if (FormFor(connection.PlatformKey) is not { } form || connectors.For(connection.PlatformKey) is not { } connector || integration is null)
        {
            return new CredentialLinkResult.Invalid($"{connection.PlatformName} cannot be linked with credentials; use the connection's linkUrl.", NoFieldErrors);
        }

        var trimmed = values.ToDictionary(v => v.Key, v => v.Value.Trim(), StringComparer.Ordinal);
        var errors = Validate(form, trimmed);
        if (errors.Count > 0)
        {
            return new CredentialLinkResult.Invalid(string.Join(" ", errors.Values.Select(e => e.ToString())), errors);
        }

        if (await platforms.ResolveAsync(integration, ct) is not { } platform)
        {
            return new CredentialLinkResult.Invalid($"{connection.PlatformName} is not set up on this instance.", NoFieldErrors);
        }

        var check = await connector.CheckAsync(platform, trimmed.Where(v => v.Value.Length > 0).ToDictionary(), ct);
        logger.LogInformation("{Platform} {Outcome} the credentials for connection {ConnectionId}",
            connection.PlatformKey, check.GetType().Name.ToLowerInvariant(), connection.Id);
        return check switch
        {
            CredentialCheck.Accepted accepted => await LinkAcceptedAsync(connection, accepted, consent, ct),
            CredentialCheck.Refused refused => new CredentialLinkResult.Refused(refused.Message),
            CredentialCheck.Unavailable unavailable => new CredentialLinkResult.Unavailable(ReadableText.Plain(unavailable.Message)),
            _ => new CredentialLinkResult.Unavailable(ReadableText.Of($"{connection.PlatformName} could not check the credentials.")),
        };
    }

    /// <summary>The key is stored encrypted as the access token; consents, webhook and first reads follow as for OAuth.</summary>
    private async Task<CredentialLinkResult> LinkAcceptedAsync(Connection connection, CredentialCheck.Accepted accepted, ConsentCapture? consent,
        CancellationToken ct)
    {
        await lifecycle.LinkAsync(connection, new TokenSet(accepted.AccessToken, null, null, null, null), new Dictionary<string, string>(accepted.Account),
            consent, ct);
        db.JourneyEvents.Add(new JourneyEvent
        {
            Id = Guid.CreateVersion7(), CompanyId = connection.CompanyId, ConnectionId = connection.Id, Step = JourneyStep.Authorized,
            SourceType = connection.SourceType, PlatformKey = connection.PlatformKey, At = time.GetUtcNow().UtcDateTime,
        });
        await db.SaveChangesAsync(ct);
        return new CredentialLinkResult.Linked(connection);
    }

    private static bool Matches(string value, string pattern)
    {
        try
        {
            return Regex.IsMatch(value, pattern, RegexOptions.CultureInvariant, PatternTimeout);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    private static string Truncate(string name) => name.Length <= 40 ? name : name[..40];
}
