using System.Text;
using Consentry.Core.Errors;

namespace Consentry.Core.Companies;

/// <summary>Codat's rules for company names, descriptions and tags.</summary>
public static class CompanyRules
{
    public const int MaxNameLength = 255;
    public const int MaxDescriptionLength = 1000;
    public const int MaxTags = 10;
    public const int MaxTagKeyLength = 27;
    public const int MaxTagValueLength = 100;

    /// <summary>
    /// Codat strips characters outside <c>[A-Za-z0-9 \s - ' , &amp; @ . ? !]</c> rather than rejecting the name,
    /// so <c>Company (Codat[1])</c> becomes <c>Company Codat1</c>.
    /// </summary>
    public static Result<string> NormalizeName(string? name)
    {
        if (name is null)
        {
            return Error.Validation("Company name is required.");
        }

        var kept = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            if (IsAllowed(c))
            {
                kept.Append(c);
            }
        }

        var normalized = kept.ToString().Trim();
        if (normalized.Length == 0)
        {
            return Error.Validation("Company name must contain at least one letter or digit (other characters are removed).");
        }

        return normalized.Length > MaxNameLength
            ? Error.Validation($"Company name must be at most {MaxNameLength} characters.")
            : normalized;
    }

    public static Error? ValidateDescription(string? description) =>
        description is { Length: > MaxDescriptionLength }
            ? Error.Validation($"Company description must be at most {MaxDescriptionLength} characters.")
            : null;

    public static Error? ValidateTags(IReadOnlyDictionary<string, string>? tags)
    {
        if (tags is null)
        {
            return null;
        }

        var errors = new List<string>();
        if (tags.Count > MaxTags)
        {
            errors.Add($"A company can have at most {MaxTags} tags.");
        }

        foreach (var (key, value) in tags)
        {
            if (key.Length is 0 or > MaxTagKeyLength)
            {
                errors.Add($"Tag key '{key}' must be 1 to {MaxTagKeyLength} characters.");
            }

            if (value is null)
            {
                errors.Add($"Tag '{key}' must have a value.");
            }
            else if (value.Length > MaxTagValueLength)
            {
                errors.Add($"Tag '{key}' has a value longer than {MaxTagValueLength} characters.");
            }
        }

        return errors.Count == 0 ? null : Error.Validation(string.Join(" ", errors), errors);
    }

    private static bool IsAllowed(char c) =>
        char.IsAsciiLetterOrDigit(c) || char.IsWhiteSpace(c) || c is '-' or '\'' or ',' or '&' or '@' or '.' or '?' or '!';
}
