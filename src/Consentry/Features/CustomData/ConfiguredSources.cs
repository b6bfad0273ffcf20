using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Consentry.Connectors;
using Consentry.Connectors.Data;
using Consentry.Connectors.OAuth2;
using Consentry.Core.Integrations;
using Consentry.Core.Persistence;
using Consentry.Features.Sync;
using Consentry.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Features.CustomData;

/// <summary>
/// The client's data type configurations applied to a platform's connector before a dataset is read: a custom data
/// type reads its <c>dataSource</c> through the connector and keeps its <c>requiredData</c>; a standard type with
/// supplemental data gets the configured platform fields in each record's <c>supplementalData</c>. Without a
/// configuration the connector is used as it is. Scoped: it reads the configurations of the dataset's client.
/// </summary>
public sealed class ConfiguredSources(ConsentryDbContext db) : IConfiguredSources
{
    public async Task<IPlatformConnector> ForAsync(IPlatformConnector connector, string platformKey, string dataType, CancellationToken ct)
    {
        var custom = CustomDataTypes.IsCustom(dataType, out var identifier);
        var kind = custom ? DataTypeConfigKind.Custom : DataTypeConfigKind.Supplemental;
        var name = custom ? identifier : dataType;
        var json = await db.DataTypeConfigs.AsNoTracking()
            .Where(c => c.PlatformKey == platformKey && c.Kind == kind && c.Name == name).Select(c => c.Json).FirstOrDefaultAsync(ct);
        if (json is null)
        {
            return connector;
        }

        if (custom)
        {
            return JsonSerializer.Deserialize<CustomDataTypeConfiguration>(json, ApiJson.Options) is { DataSource: { } source } config
                ? new CustomDataConnector(connector, dataType, source, config)
                : connector;
        }

        var sets = JsonSerializer.Deserialize<SupplementalDataConfiguration>(json, ApiJson.Options)?.SupplementalDataConfig;
        return sets is { Count: > 0 } ? new SupplementalDataConnector(connector, sets) : connector;
    }
}

/// <summary>Passes every call to the platform's own connector; the two configured readers below change only reading.</summary>
internal abstract class DelegatingConnector(IPlatformConnector inner) : IPlatformConnector
{
    protected IPlatformConnector Inner => inner;

    public IReadOnlyCollection<string> PlatformKeys => inner.PlatformKeys;

    public Task<AccountDiscovery> DiscoverAccountsAsync(
        PlatformEndpoint platform, TokenSet tokens, IReadOnlyDictionary<string, string> callback, CancellationToken ct) =>
        inner.DiscoverAccountsAsync(platform, tokens, callback, ct);

    public Task<bool> RevokeAsync(PlatformEndpoint platform, PlatformGrant grant, CancellationToken ct) => inner.RevokeAsync(platform, grant, ct);

    public virtual IReadOnlyCollection<string> Readable(IntegrationDefinition integration) => inner.Readable(integration);

    public virtual Task<DataPage> ReadAsync(DataRequest request, CancellationToken ct) => inner.ReadAsync(request, ct);
}

/// <summary>
/// A custom data type: pages through the configured endpoint (always whole: Codat's custom types have no incremental
/// read) and turns each platform record into <c>{id, content, modifiedDate, sourceModifiedDate}</c>. A record without
/// a value for every <c>keyBy</c> path cannot be told apart from others and is skipped.
/// </summary>
internal sealed class CustomDataConnector(IPlatformConnector inner, string dataType, string dataSource, CustomDataTypeConfiguration config)
    : DelegatingConnector(inner)
{
    public override IReadOnlyCollection<string> Readable(IntegrationDefinition integration) => [dataType];

    public override async Task<DataPage> ReadAsync(DataRequest request, CancellationToken ct)
    {
        var page = await Inner.ReadSourceAsync(request with { ModifiedSince = null }, dataSource, ct);
        if (page is not DataPage.Ok ok)
        {
            return page;
        }

        var records = new List<MappedRecord>(ok.Records.Count);
        foreach (var source in ok.Records)
        {
            using var document = JsonDocument.Parse(source.Json);
            if (Map(document.RootElement, config, request.ReadAt) is { } record)
            {
                records.Add(record);
            }
        }

        return ok with { Records = records };
    }

    public static MappedRecord? Map(JsonElement source, CustomDataTypeConfiguration config, DateTime readAt)
    {
        var keys = (config.KeyBy ?? []).Select(path => SourcePath.Text(SourcePath.Select(source, path))).ToList();
        if (keys.Count == 0 || keys.Any(string.IsNullOrEmpty))
        {
            return null;
        }

        var id = string.Join("-", keys);
        if (id.Length > 200)
        {
            return null;
        }

        var content = new JsonObject();
        foreach (var (name, path) in config.RequiredData ?? [])
        {
            content[name] = SourcePath.Select(source, path);
        }

        DateTime? modified = null;
        foreach (var path in config.SourceModifiedDate ?? [])
        {
            if (SourcePath.Text(SourcePath.Select(source, path)) is { } text && PlatformDate(text) is { } date)
            {
                modified = date;
                break;
            }
        }

        var json = new JsonObject
        {
            ["id"] = id,
            ["content"] = content,
            ["modifiedDate"] = Iso(readAt),
        };
        if (modified is { } when)
        {
            json["sourceModifiedDate"] = Iso(when);
        }

        return new MappedRecord(id, modified, json.ToJsonString());
    }

    /// <summary>ISO 8601, or Xero's <c>/Date(1573755038314+0000)/</c>.</summary>
    private static DateTime? PlatformDate(string text)
    {
        if (text.StartsWith("/Date(", StringComparison.Ordinal))
        {
            var digits = new string([.. text[6..].TakeWhile(c => char.IsAsciiDigit(c) || c == '-')]);
            return long.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var ms)
                ? DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime
                : null;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) ? parsed.UtcDateTime : null;
    }

    private static string Iso(DateTime value) => value.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
}

/// <summary>
/// Supplemental data: each record keeps its Codat shape and gains <c>supplementalData.content.{set}.{name}</c> with the
/// platform fields the client named, taken from the platform's own record (<see cref="MappedRecord.Source"/>). A
/// connector that does not keep its source records gives nothing extra.
/// </summary>
internal sealed class SupplementalDataConnector(IPlatformConnector inner, IReadOnlyDictionary<string, SupplementalDataSource> sets)
    : DelegatingConnector(inner)
{
    public override async Task<DataPage> ReadAsync(DataRequest request, CancellationToken ct)
    {
        var page = await Inner.ReadAsync(request with { KeepSource = true }, ct);
        return page is DataPage.Ok ok ? ok with { Records = [.. ok.Records.Select(Supplement)] } : page;
    }

    private MappedRecord Supplement(MappedRecord record)
    {
        if (record.Tombstone || record.Source is null || JsonNode.Parse(record.Json) is not JsonObject json)
        {
            return record;
        }

        using var source = JsonDocument.Parse(record.Source);
        var content = new JsonObject();
        foreach (var (set, definition) in sets)
        {
            var values = new JsonObject();
            foreach (var (name, path) in definition.PullData ?? [])
            {
                values[name] = SourcePath.Select(source.RootElement, path);
            }

            content[set] = values;
        }

        json["supplementalData"] = new JsonObject { ["content"] = content };
        return record with { Json = json.ToJsonString() };
    }
}
