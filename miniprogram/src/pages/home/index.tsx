import { View, Text } from '@tarojs/components';
import { useLoad } from '@tarojs/taro';
import LoginPicker from '../../components/login-picker';
import PageShell from '../../components/page-shell';
import StaffEntries from './entries/staff';
import OperatorEntries from './entries/operator';
import * as platform from '../../platform';
import { hasRole, useSession } from '../../session';
import { setCareMode, useCareMode } from '../../session/care';
import { Button, Switch } from '../../ui';
import { go, replace } from '../../util/nav';
import './index.scss';

export default function Home() {
  const user = useSession();
  const care = useCareMode();
  const ready = !platform.NEEDS_SIGN_IN || !!user;

  useLoad((params) => {
    // A scanned code opens the form pre-filled with its place.
    const scene = platform.readScene(params as Record<string, string>);
    if (scene) void replace('submit', { scene });
  });

  return (
    <PageShell id="page-home">
      <View className="home__hero">
        <View className="home__title">码上反映 · 马上办理</View>
        {/* The regulation's full legal name of the platform is too long for a subtitle. */}
        <View className="home__subtitle">12345 便民服务平台 · 网上反映</View>
      </View>

      {platform.NEEDS_SIGN_IN && <LoginPicker />}

      {ready && (
        <View className="home__entries">
          <Button id="entry-submit" className="home__entry" type="primary" size="large" block onClick={() => void go('submit')}>
            我要反映
          </Button>
          <Button id="entry-mine" className="home__entry" size="large" block onClick={() => void go('mine')}>
            我的诉求
          </Button>
          <Button id="entry-lookup" className="home__entry" size="large" block onClick={() => void go('lookup')}>
            查询进度
          </Button>
          {hasRole(user, 'grid') && (
            <View className="home__role" id="grid-entries">
              <View className="section__title">网格员</View>
              <Button id="entry-grid-report" className="home__entry" size="large" block onClick={() => void go('gridReport')}>
                现场上报
              </Button>
              <Button id="entry-grid-drafts" className="home__entry" size="large" block onClick={() => void go('gridDrafts')}>
                草稿箱与我的上报
              </Button>
              <Button id="entry-grid-urgency" className="home__entry" size="large" block onClick={() => void go('gridUrgency')}>
                标记紧急
              </Button>
            </View>
          )}
          <StaffEntries user={user} />
          <OperatorEntries user={user} />
        </View>
      )}
      <View className="home__public">
        <Button id="entry-public" size="small" fill="none" onClick={() => void go('publicFigures')}>数据公开：每月诉求办理情况</Button>
      </View>

      <View className="section row home__care">
        <View>
          <View className="field__label">关怀模式</View>
          <Text className="muted">放大文字和按钮，方便老年人使用</Text>
        </View>
        <Switch id="care-toggle" label="关怀模式（大字）" checked={care} onChange={(v) => setCareMode(v)} />
      </View>
    </PageShell>
  );
}
