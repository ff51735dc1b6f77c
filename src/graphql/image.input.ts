import { Field, InputType, Int } from "type-graphql";
import { URLResolver } from "graphql-scalars";
import { IsOptional, Max, MaxLength, Min } from "class-validator";
import { badUserInput } from "./errors";

@InputType("ImageInput")
export class ImageInput {
  @Field(() => URLResolver)
  url!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(500)
  alt?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(1000)
  caption?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(300)
  credit?: string;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @Min(1)
  @Max(20000)
  width?: number;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @Min(1)
  @Max(20000)
  height?: number;
}

/** Only web URLs may reach readers: no javascript:, data: or file: links. */
export function webUrl(value: string | URL, field: string): string {
  const text = String(value);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw badUserInput("must be a URL", field);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw badUserInput("must be an http(s) URL", field);
  if (text.length > 2048) throw badUserInput("must be at most 2048 characters", field);
  return url.toString();
}
