namespace Hubs.Contracts.Generation;

/// <summary>A content-generation request. Wire: <c>{"prompt","user_id","brand_profile_id"?}</c>.</summary>
/// <param name="Prompt">What to write about; required, non-empty.</param>
/// <param name="UserId">Who asks; required, non-empty.</param>
/// <param name="BrandProfileId">Optional brand profile whose voice the content should use.</param>
public sealed record GenerationRequest(string Prompt, string UserId, string? BrandProfileId = null);
