using System.Globalization;
using System.Resources;
using System.Text;

namespace Consentry.Features.Link.Localization;

/// <summary>
/// What each data type is called and what it holds, in the customer's words and language: the catalogue is keyed by the
/// data type id (<c>dataType.invoices</c> and <c>dataType.invoices.help</c> in <c>LinkText.resx</c> and its
/// translations). An id without an entry still reads as words ("purchaseOrders" becomes "Purchase orders").
/// </summary>
public static class DataTypeLabels
{
    private static readonly ResourceManager Resources = new(typeof(LinkText).FullName!, typeof(LinkText).Assembly);

    public static string Label(string dataType) => Lookup($"dataType.{dataType}") ?? Humanize(dataType);

    /// <summary>One line on what the data type holds, or null when the catalogue has none.</summary>
    public static string? Help(string dataType) => Lookup($"dataType.{dataType}.help");

    /// <summary>A Link text in the current language (the key is the English text, the fallback).</summary>
    public static string Text(string english, params object[] arguments)
    {
        var format = Lookup(english) ?? english;
        return arguments.Length == 0 ? format : string.Format(CultureInfo.CurrentCulture, format, arguments);
    }

    private static string? Lookup(string key) => Resources.GetString(key, CultureInfo.CurrentUICulture) is { Length: > 0 } value ? value : null;

    /// <summary>"chartOfAccounts" and "banking-accountBalances" as words: "Chart of accounts", "Banking account balances".</summary>
    public static string Humanize(string id)
    {
        var words = new StringBuilder();
        foreach (var c in id)
        {
            if (c is '-' or '_')
            {
                words.Append(' ');
            }
            else if (char.IsUpper(c) && words.Length > 0)
            {
                words.Append(' ').Append(char.ToLowerInvariant(c));
            }
            else
            {
                words.Append(words.Length == 0 ? char.ToUpperInvariant(c) : c);
            }
        }

        return words.ToString();
    }
}
