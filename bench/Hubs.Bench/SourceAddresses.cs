using System.Net;
using System.Net.Sockets;

namespace Hubs.Bench;

/// <summary>
/// An HTTP handler whose sockets bind a given loopback source address, so a generator spread over
/// 127.0.0.2..127.0.0.9 gets a full ephemeral port range per address instead of one range in total.
/// </summary>
internal static class SourceAddresses
{
    public static IPAddress ForWorker(int index) => IPAddress.Parse($"127.0.0.{2 + (index % 8)}");

    public static SocketsHttpHandler Handler(IPAddress? source) => new()
    {
        UseProxy = false,
        MaxConnectionsPerServer = int.MaxValue,
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                if (source is not null)
                {
                    socket.Bind(new IPEndPoint(source, 0));
                }

                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };
}
