import DataLoader from "dataloader";
import { cacheKeyOf, type Ranking, type RankingKey, type TrendingService } from "./trending.service";

/** Per request: every trending list asked for in one request (say, one per section) is ranked together. */
export function createTrendingLoaders(service: TrendingService) {
  return {
    rankings: new DataLoader<RankingKey, Ranking, string>((keys) => service.rankings(keys), { cacheKeyFn: cacheKeyOf }),
  };
}

export type TrendingLoaders = ReturnType<typeof createTrendingLoaders>;
