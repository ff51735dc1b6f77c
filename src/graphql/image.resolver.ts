import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from "type-graphql";
import { URLResolver } from "graphql-scalars";
import type { Context } from "./context";
import { badUserInput } from "./errors";
import { renditionUrl } from "./image.rendition";
import { Image } from "./image.type";

@Resolver(() => Image)
export class ImageResolver {
  @FieldResolver(() => URLResolver, { description: "URL of this image resized to the given width." })
  rendition(@Root() image: Image, @Arg("width", () => Int) width: number, @Ctx() ctx: Context): string {
    if (width < 1 || width > 4096) throw badUserInput("must be between 1 and 4096", "width");
    const { renditionTemplate, renditionWidths } = ctx.app.config.images;
    return renditionUrl(renditionTemplate, renditionWidths, image.url, width);
  }
}
