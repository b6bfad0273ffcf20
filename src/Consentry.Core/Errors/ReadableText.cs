using System.Globalization;

namespace Consentry.Core.Errors;

/// <summary>
/// A message a person reads (on a Link page): its English template with <c>{0}</c>-style holes and the values that fill
/// them, so the page can show it in the reader's language: the template is the localizer's key, as every Link text's is.
/// </summary>
public sealed record ReadableText(string Template, IReadOnlyList<object?> Arguments)
{
    public static ReadableText Of(FormattableString text) => new(text.Format, text.GetArguments());

    public static ReadableText Plain(string text) => new(text, []);

    /// <summary>The English text (what APIs and logs carry).</summary>
    public override string ToString() =>
        Arguments.Count == 0 ? Template : string.Format(CultureInfo.InvariantCulture, Template, [.. Arguments]);
}
