using System.Text.Json;
using System.Text.Json.Serialization;

namespace Consentry.Core.Integrations;

/// <summary>The platforms Consentry offers, loaded once from the catalogue data file; immutable afterwards.</summary>
public sealed class IntegrationCatalogue
{
    private static readonly JsonSerializerOptions FileOptions = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    private readonly Dictionary<string, IntegrationDefinition> _byKey;

    public IntegrationCatalogue(IEnumerable<IntegrationDefinition> integrations)
    {
        All = [.. integrations.OrderBy(i => i.Name, StringComparer.OrdinalIgnoreCase)];
        _byKey = All.ToDictionary(i => i.PlatformKey, StringComparer.Ordinal);
    }

    public IReadOnlyList<IntegrationDefinition> All { get; }

    public IntegrationDefinition? Find(string platformKey) => _byKey.GetValueOrDefault(platformKey);

    public static IntegrationCatalogue Load(Stream json)
    {
        var file = JsonSerializer.Deserialize<CatalogueFile>(json, FileOptions)
            ?? throw new InvalidDataException("The integrations catalogue is empty.");
        var duplicates = file.Integrations.GroupBy(i => i.PlatformKey).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (duplicates.Count > 0)
        {
            throw new InvalidDataException($"The integrations catalogue repeats the keys: {string.Join(", ", duplicates)}.");
        }

        return new IntegrationCatalogue(file.Integrations);
    }

    private sealed record CatalogueFile(List<IntegrationDefinition> Integrations);
}
