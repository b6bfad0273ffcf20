using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Consentry.Api.Tests.Infrastructure;

/// <summary>
/// HTTP/1.1 over a plain socket, for what HttpClient cannot do deterministically: send a request's head and read the
/// answer before (or without) sending its body.
/// </summary>
public static class RawHttp
{
    /// <summary>Sends the request line and headers only (no body, whatever Content-Length says) and reads the answer.</summary>
    public static Task<HttpResponseMessage> SendHeadOnlyAsync(Uri server, string method, string path, IReadOnlyDictionary<string, string> headers) =>
        SendAsync(server, method, path, headers, ReadOnlyMemory<byte>.Empty);

    /// <summary>Sends the head and then <paramref name="rawBody"/> exactly as given (say, part of a chunked body), then reads the answer.</summary>
    public static async Task<HttpResponseMessage> SendAsync(Uri server, string method, string path, IReadOnlyDictionary<string, string> headers, ReadOnlyMemory<byte> rawBody)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port);
        var stream = client.GetStream();
        var head = new StringBuilder().Append(CultureInfo.InvariantCulture, $"{method} {path} HTTP/1.1\r\nHost: {server.Authority}\r\n");
        foreach (var (name, value) in headers)
        {
            head.Append(CultureInfo.InvariantCulture, $"{name}: {value}\r\n");
        }

        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.Append("\r\n").ToString()));
        await stream.WriteAsync(rawBody);
        return await ReadResponseAsync(stream);
    }

    private static async Task<HttpResponseMessage> ReadResponseAsync(NetworkStream stream)
    {
        var buffer = new List<byte>();
        var chunk = new byte[8192];
        int headEnd;
        while ((headEnd = IndexOf(buffer, "\r\n\r\n"u8.ToArray())) < 0)
        {
            var read = await stream.ReadAsync(chunk);
            Assert.True(read > 0, $"The server closed the connection before a complete answer: {Encoding.ASCII.GetString([.. buffer])}");
            buffer.AddRange(chunk.AsSpan(0, read));
        }

        var lines = Encoding.ASCII.GetString(buffer.GetRange(0, headEnd).ToArray()).Split("\r\n");
        var response = new HttpResponseMessage((HttpStatusCode)int.Parse(lines[0].Split(' ')[1], CultureInfo.InvariantCulture));
        var headers = lines.Skip(1).Select(l => l.Split(':', 2)).ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
        var rest = buffer.Skip(headEnd + 4).ToList();
        var body = headers.TryGetValue("Transfer-Encoding", out var encoding) && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase)
            ? await ReadChunkedAsync(stream, rest, chunk)
            : await ReadLengthAsync(stream, rest, chunk, headers.TryGetValue("Content-Length", out var length) ? int.Parse(length, CultureInfo.InvariantCulture) : null);
        response.Content = new ByteArrayContent(body);
        foreach (var (name, value) in headers)
        {
            if (!response.Headers.TryAddWithoutValidation(name, value))
            {
                response.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return response;
    }

    private static async Task<byte[]> ReadLengthAsync(NetworkStream stream, List<byte> data, byte[] chunk, int? length)
    {
        while (length is null || data.Count < length)
        {
            var read = await stream.ReadAsync(chunk);
            if (read == 0)
            {
                Assert.True(length is null, $"The server closed the connection after {data.Count} of {length} body bytes.");
                break;
            }

            data.AddRange(chunk.AsSpan(0, read));
        }

        return [.. data];
    }

    private static async Task<byte[]> ReadChunkedAsync(NetworkStream stream, List<byte> data, byte[] chunk)
    {
        var body = new List<byte>();
        while (true)
        {
            int lineEnd;
            while ((lineEnd = IndexOf(data, "\r\n"u8.ToArray())) < 0)
            {
                await ReadMoreAsync(stream, data, chunk);
            }

            var size = int.Parse(Encoding.ASCII.GetString(data.GetRange(0, lineEnd).ToArray()).Split(';')[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            while (data.Count < lineEnd + 2 + size + 2)
            {
                await ReadMoreAsync(stream, data, chunk);
            }

            body.AddRange(data.GetRange(lineEnd + 2, size));
            data.RemoveRange(0, lineEnd + 2 + size + 2);
            if (size == 0)
            {
                return [.. body];
            }
        }
    }

    private static async Task ReadMoreAsync(NetworkStream stream, List<byte> data, byte[] chunk)
    {
        var read = await stream.ReadAsync(chunk);
        Assert.True(read > 0, "The server closed the connection in the middle of a chunked body.");
        data.AddRange(chunk.AsSpan(0, read));
    }

    private static int IndexOf(List<byte> data, byte[] pattern)
    {
        for (var i = 0; i + pattern.Length <= data.Count; i++)
        {
            if (data.GetRange(i, pattern.Length).SequenceEqual(pattern))
            {
                return i;
            }
        }

        return -1;
    }
}
