using System.Globalization;
using System.Security.Cryptography;
using System.Security;
using System.Text;
using Consentry.Core.Integrations;

namespace Consentry.Features.Integrations;

/// <summary>
/// Draws each integration's logo and buttons as simple SVGs of our own (a coloured badge with initials and the name):
/// we copy no third-party logos. Drawn once per integration and cached with a content ETag.
/// </summary>
public sealed class BrandingImages(IntegrationCatalogue catalogue)
{
    public static readonly IReadOnlyList<string> Names = ["logo-full", "logo-square", "button", "button-hover"];

    private readonly Dictionary<(string PlatformKey, string Name), SvgImage> _images = catalogue.All
        .SelectMany(i => Names.Select(n => (i, n)))
        .ToDictionary(x => (x.i.PlatformKey, x.n), x => SvgImage.Create(Draw(x.i, x.n)));

    public SvgImage? Find(string platformKey, string name) => _images.GetValueOrDefault((platformKey, name));

    public static string PathOf(string platformKey, string name) => $"/branding/{platformKey}/{name}.svg";

    private static string Draw(IntegrationDefinition i, string name)
    {
        var initials = Escape(i.Initials ?? new string(i.Name.Where(char.IsUpper).Take(2).ToArray()));
        var title = Escape(i.Name);
        var color = Escape(i.BrandColor);
        return name switch
        {
            "logo-square" => Svg(64, 64, title,
                $"<rect width=\"64\" height=\"64\" rx=\"14\" fill=\"{color}\"/>" +
                $"<text x=\"32\" y=\"41\" font-family=\"Arial,Helvetica,sans-serif\" font-size=\"24\" font-weight=\"700\" fill=\"#fff\" text-anchor=\"middle\">{initials}</text>"),
            "logo-full" => Svg(240, 64, title,
                $"<rect width=\"64\" height=\"64\" rx=\"14\" fill=\"{color}\"/>" +
                $"<text x=\"32\" y=\"41\" font-family=\"Arial,Helvetica,sans-serif\" font-size=\"24\" font-weight=\"700\" fill=\"#fff\" text-anchor=\"middle\">{initials}</text>" +
                $"<text x=\"76\" y=\"39\" font-family=\"Arial,Helvetica,sans-serif\" font-size=\"16\" fill=\"#111827\">{title}</text>"),
            "button" => Button(title, initials, color, hover: false),
            _ => Button(title, initials, color, hover: true),
        };
    }

    private static string Button(string title, string initials, string color, bool hover) => Svg(280, 48, $"Connect {title}",
        $"<rect x=\"1\" y=\"1\" width=\"278\" height=\"46\" rx=\"10\" fill=\"{(hover ? color : "#fff")}\" stroke=\"{color}\" stroke-width=\"2\"/>" +
        $"<rect x=\"8\" y=\"8\" width=\"32\" height=\"32\" rx=\"8\" fill=\"{(hover ? "#fff" : color)}\"/>" +
        $"<text x=\"24\" y=\"29\" font-family=\"Arial,Helvetica,sans-serif\" font-size=\"12\" font-weight=\"700\" fill=\"{(hover ? color : "#fff")}\" text-anchor=\"middle\">{initials}</text>" +
        $"<text x=\"52\" y=\"29\" font-family=\"Arial,Helvetica,sans-serif\" font-size=\"14\" fill=\"{(hover ? "#fff" : "#111827")}\">Connect {title}</text>");

    private static string Svg(int width, int height, string title, string body) => string.Create(CultureInfo.InvariantCulture,
        $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\"><title>{title}</title>{body}</svg>");

    private static string Escape(string text) => SecurityElement.Escape(text) ?? "";
}

/// <summary>An image with its strong ETag (a hash of the content).</summary>
public sealed record SvgImage(byte[] Content, string ETag)
{
    public static SvgImage Create(string svg)
    {
        var bytes = Encoding.UTF8.GetBytes(svg);
        return new SvgImage(bytes, $"\"{Convert.ToHexStringLower(SHA256.HashData(bytes))[..32]}\"");
    }
}
