namespace Hubs.Contracts.Generation;

/// <summary>Callbacks of <c>/hubs/generation</c>. Streams are returned from <see cref="IGenerationHub.Generate"/>; this hub pushes nothing else yet.</summary>
public interface IGenerationClient
{
}
