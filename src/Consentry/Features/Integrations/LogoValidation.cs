using System.Xml;
using Consentry.Core.Errors;

namespace Consentry.Features.Integrations;

/// <summary>
/// Decides what an uploaded logo really is from its bytes (never its name): PNG or WebP by their signatures, SVG by
/// parsing it as XML. SVG can carry script, so anything that could run or fetch is refused rather than cleaned: script
/// and foreignObject elements, on* event attributes, javascript: values and references outside the file.
/// </summary>
public static class LogoValidation
{
    public const int MaxBytes = 256 * 1024;

    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly string[] ForbiddenElements = ["script", "foreignobject", "iframe", "embed", "object", "handler", "listener"];
    private static readonly string[] SafeDataImages = ["data:image/png", "data:image/jpeg", "data:image/gif", "data:image/webp"];

    /// <summary>The content type of a valid logo, or the reason it is refused.</summary>
    public static (string? ContentType, Error? Error) Check(ReadOnlySpan<byte> content)
    {
        if (content.Length == 0)
        {
            return (null, Error.Validation("The file is empty."));
        }

        if (content.Length > MaxBytes)
        {
            return (null, Error.Validation($"The logo is {content.Length / 1024} KB; at most 256 KB is accepted."));
        }

        if (content.StartsWith(Png))
        {
            return ("image/png", null);
        }

        if (content.Length >= 12 && content[..4].SequenceEqual("RIFF"u8) && content[8..12].SequenceEqual("WEBP"u8))
        {
            return ("image/webp", null);
        }

        return CheckSvg(content.ToArray());
    }

    private static (string? ContentType, Error? Error) CheckSvg(byte[] content)
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, IgnoreComments = true };
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(content), settings);
            var root = true;
            while (reader.Read())
            {
                if (reader.NodeType == XmlNodeType.ProcessingInstruction)
                {
                    return Refused("processing instructions (such as xml-stylesheet) are not allowed");
                }

                if (reader.NodeType is XmlNodeType.Text or XmlNodeType.CDATA
                    && (reader.Value.Contains("@import", StringComparison.OrdinalIgnoreCase) || !AllUrlsLocal(reader.Value)))
                {
                    return Refused("style sheets may only point inside the file (#id)");
                }

                if (reader.NodeType != XmlNodeType.Element)
                {
                    continue;
                }

                if (root && (reader.LocalName != "svg" || reader.NamespaceURI != "http://www.w3.org/2000/svg"))
                {
                    return (null, Error.Validation("The file is not a PNG, WebP or SVG image."));
                }

                root = false;
                if (ForbiddenElements.Contains(reader.LocalName.ToLowerInvariant()))
                {
                    return Refused($"the <{reader.LocalName}> element is not allowed");
                }

                if (CheckAttributes(reader) is { } reason)
                {
                    return Refused(reason);
                }
            }

            return root ? (null, Error.Validation("The file is not a PNG, WebP or SVG image.")) : ("image/svg+xml", null);
        }
        catch (XmlException)
        {
            return (null, Error.Validation("The file is not a PNG, WebP or SVG image."));
        }
    }

    private static string? CheckAttributes(XmlReader reader)
    {
        for (var more = reader.MoveToFirstAttribute(); more; more = reader.MoveToNextAttribute())
        {
            var name = reader.LocalName;
            var value = reader.Value.Trim();
            if (name.StartsWith("on", StringComparison.OrdinalIgnoreCase))
            {
                return $"event handler attributes ({reader.Name}) are not allowed";
            }

            if (name.Equals("href", StringComparison.OrdinalIgnoreCase) && !value.StartsWith('#')
                && !SafeDataImages.Any(d => value.StartsWith(d, StringComparison.OrdinalIgnoreCase)))
            {
                return $"references outside the file ({reader.Name}=\"{Shorten(value)}\") are not allowed; only #fragments and embedded PNG, JPEG, GIF or WebP data";
            }

            if (name.Equals("attributeName", StringComparison.OrdinalIgnoreCase) && value.Contains("href", StringComparison.OrdinalIgnoreCase))
            {
                return "animating a reference is not allowed";
            }

            if (string.Concat(value.Where(c => !char.IsWhiteSpace(c))).Contains("javascript:", StringComparison.OrdinalIgnoreCase))
            {
                return "javascript: values are not allowed";
            }

            if (value.Contains("url(", StringComparison.OrdinalIgnoreCase) && !AllUrlsLocal(value))
            {
                return "url() may only point inside the file (#id)";
            }
        }

        reader.MoveToElement();
        return null;
    }

    private static bool AllUrlsLocal(string value)
    {
        // Lower case first: Split is case-sensitive and CSS is not, so URL(...) must not slip past.
        var parts = value.ToLowerInvariant().Split("url(", StringSplitOptions.None);
        return parts.Skip(1).All(p => p.TrimStart(' ', '\'', '"').StartsWith('#'));
    }

    private static string Shorten(string value) => value.Length <= 60 ? value : value[..60] + "…";

    private static (string?, Error?) Refused(string reason) => (null, Error.Validation($"This SVG is refused: {reason}. Logos must not run scripts or load anything."));
}
