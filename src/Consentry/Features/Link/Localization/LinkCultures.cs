using System.Globalization;

namespace Consentry.Features.Link.Localization;

/// <summary>
/// The cultures of the Link pages with their own date and number formats. The host runs in invariant globalization
/// mode (no ICU data: the API must not depend on the machine's locale), where every culture formats like the invariant
/// one, so the few conventions the pages use (decimal and group separators, date patterns, month and day names) are
/// written here for each supported language.
/// </summary>
public static class LinkCultures
{
    public static CultureInfo Create(string name)
    {
        var culture = new CultureInfo(name);
        var (decimalSeparator, groupSeparator, shortDate, longDate, months, days) = name switch
        {
            "fr" => (",", "\u202F", "dd/MM/yyyy", "d MMMM yyyy",
                "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
                "dimanche lundi mardi mercredi jeudi vendredi samedi"),
            "de" => (",", ".", "dd.MM.yyyy", "d. MMMM yyyy",
                "Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
                "Sonntag Montag Dienstag Mittwoch Donnerstag Freitag Samstag"),
            "es" => (",", ".", "dd/MM/yyyy", "d 'de' MMMM 'de' yyyy",
                "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
                "domingo lunes martes miércoles jueves viernes sábado"),
            "nl" => (",", ".", "dd-MM-yyyy", "d MMMM yyyy",
                "januari februari maart april mei juni juli augustus september oktober november december",
                "zondag maandag dinsdag woensdag donderdag vrijdag zaterdag"),
            _ => (".", ",", "dd/MM/yyyy", "d MMMM yyyy",
                "January February March April May June July August September October November December",
                "Sunday Monday Tuesday Wednesday Thursday Friday Saturday"),
        };
        var numbers = culture.NumberFormat;
        numbers.NumberDecimalSeparator = numbers.CurrencyDecimalSeparator = numbers.PercentDecimalSeparator = decimalSeparator;
        numbers.NumberGroupSeparator = numbers.CurrencyGroupSeparator = numbers.PercentGroupSeparator = groupSeparator;
        var dates = culture.DateTimeFormat;
        dates.ShortDatePattern = shortDate;
        dates.LongDatePattern = longDate;
        dates.ShortTimePattern = "HH:mm";
        dates.LongTimePattern = "HH:mm:ss";
        var monthNames = months.Split(' ').Append("").ToArray();
        dates.MonthNames = dates.MonthGenitiveNames = monthNames;
        dates.AbbreviatedMonthNames = dates.AbbreviatedMonthGenitiveNames = [.. monthNames.Select(m => m.Length > 4 ? m[..3] : m)];
        dates.DayNames = days.Split(' ');
        dates.AbbreviatedDayNames = [.. dates.DayNames.Select(d => d[..3])];
        dates.ShortestDayNames = [.. dates.DayNames.Select(d => d[..2])];
        return CultureInfo.ReadOnly(culture);
    }
}
