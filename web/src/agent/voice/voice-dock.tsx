import { AudioMutedOutlined, AudioOutlined, PauseCircleOutlined, PhoneOutlined, SwapOutlined } from '@ant-design/icons';
import type { VoiceCall } from '@okpay/contracts';
import { Alert, Button, Modal, Select, Space, Tag, Typography } from 'antd';
import type { TFunction } from 'i18next';
import { useEffect, useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { listAgents, type StaffWithLoad } from '../../api/agent-console';
import { useConsoleConnection, useConsoleStaffId } from '../console/console-context';
import { useKeyShortcuts } from '../console/shortcuts';
import { useNow } from '../console/time';
import { AgentVoice } from './agent-voice';

/** "03:07" since the call was answered. */
function clock(since: string, now: number): string {
  const seconds = Math.max(0, Math.floor((now - new Date(since).getTime()) / 1000));
  return `${String(Math.floor(seconds / 60)).padStart(2, '0')}:${String(seconds % 60).padStart(2, '0')}`;
}

/**
 * In-app calls on every console page: the incoming-call banner (answer opens the conversation with
 * the caller's wallet panel), the in-call bar with its timer, mute, hold, transfer and hang-up, and
 * how the last call ended. Shortcuts: a answers, m mutes, h holds.
 */
export function VoiceDock() {
  const connection = useConsoleConnection();
  const [voice] = useState(() => new AgentVoice(connection));
  useEffect(() => {
    voice.start();
    return () => voice.stop();
  }, [voice]);
  const state = useSyncExternalStore(voice.subscribe, voice.getState);
  const navigate = useNavigate();
  const { t } = useTranslation();

  const answer = async () => {
    const call = await voice.answer();
    // The conversation opens with the caller's wallet panel beside it: the call knows who is calling.
    if (call) void navigate(`/agent?c=${call.conversationId}`);
  };
  useKeyShortcuts(
    { a: 'answer', m: 'mute', h: 'hold' },
    {
      answer: () => void (state.ringing && !state.active && answer()),
      mute: () => void (state.active && voice.setMuted(!state.isMuted)),
      hold: () => void (state.active && voice.setOnHold(!state.active.isOnHold)),
    },
  );

  return (
    <>
      {state.ringing && !state.active && (
        <IncomingCall call={state.ringing} isAnswering={state.isAnswering} onAnswer={answer} onDecline={() => void voice.decline()} />
      )}
      {state.active && <CallBar call={state.active} voice={voice} isMuted={state.isMuted} isMediaConnected={state.isMediaConnected} />}
      {state.problem && (
        <Alert
          className="voice-alert"
          type="error"
          showIcon
          closable={{ onClose: () => voice.dismissEnded() }}
          title={state.problem.message ?? t(`console.voice.${state.problem.kind as 'ice_failed'}`)}
        />
      )}
      {state.ended && !state.active && (
        <Alert
          className="voice-alert"
          type={state.ended.state === 'completed' ? 'info' : 'warning'}
          showIcon
          role="status"
          closable={{ onClose: () => voice.dismissEnded() }}
          title={t('console.voice.ended', { state: t(`console.calls.state.${state.ended.state}`) })}
          description={
            state.ended.endReason
              ? t('console.voice.endedReason', {
                  reason: t(`console.calls.reasons.${state.ended.endReason}` as 'console.calls.reasons.agent'),
                })
              : undefined
          }
        />
      )}
    </>
  );
}

function callerName(call: VoiceCall, t: TFunction): string {
  return call.caller.name ?? t('console.voice.visitorCaller');
}

function IncomingCall({
  call,
  isAnswering,
  onAnswer,
  onDecline,
}: {
  call: VoiceCall;
  isAnswering: boolean;
  onAnswer(): Promise<void>;
  onDecline(): void;
}) {
  const { t } = useTranslation();
  return (
    <section className="voice-incoming" role="alertdialog" aria-label={t('console.voice.bannerLabel')} aria-live="assertive">
      <PhoneOutlined className="voice-incoming-icon" aria-hidden />
      <div className="voice-incoming-text">
        <Typography.Text strong>{t('console.voice.incomingFrom', { name: callerName(call, t) })}</Typography.Text>
        <Typography.Text type="secondary">
          {t('console.voice.about', { category: t(`console.categories.${call.category}`) })}
          {call.links.length > 0 && ` · ${t('console.voice.linked', { count: call.links.length })}`}
          {call.caller.isVerified && ` · ${t('console.verified')}`}
        </Typography.Text>
      </div>
      <Space>
        <Button type="primary" icon={<PhoneOutlined />} loading={isAnswering} onClick={() => void onAnswer()}>
          {isAnswering ? t('console.voice.answering') : t('console.voice.answer')}
        </Button>
        <Button danger onClick={onDecline} disabled={isAnswering}>
          {t('console.voice.decline')}
        </Button>
      </Space>
    </section>
  );
}

function CallBar({
  call,
  voice,
  isMuted,
  isMediaConnected,
}: {
  call: VoiceCall;
  voice: AgentVoice;
  isMuted: boolean;
  isMediaConnected: boolean;
}) {
  const { t } = useTranslation();
  const now = useNow();
  const [isTransferOpen, setTransferOpen] = useState(false);
  return (
    <section className="voice-bar" aria-label={t('console.voice.barLabel')}>
      <PhoneOutlined className="voice-bar-icon" aria-hidden />
      <div className="voice-bar-text">
        <Typography.Text strong>{t('console.voice.onCall', { name: callerName(call, t) })}</Typography.Text>
        <Typography.Text type="secondary" data-testid="call-timer">
          {isMediaConnected && call.answeredAt
            ? t('console.voice.timer', { time: clock(call.answeredAt, now) })
            : t('console.voice.connecting')}
        </Typography.Text>
        {call.isOnHold && <Tag color="orange">{t('console.voice.onHold')}</Tag>}
        {call.isCustomerMuted && <Tag>{t('console.voice.customerMuted')}</Tag>}
      </div>
      <Space wrap>
        <Button
          icon={isMuted ? <AudioMutedOutlined /> : <AudioOutlined />}
          aria-pressed={isMuted}
          onClick={() => void voice.setMuted(!isMuted)}
        >
          {isMuted ? t('console.voice.unmute') : t('console.voice.mute')}
        </Button>
        <Button icon={<PauseCircleOutlined />} aria-pressed={call.isOnHold} onClick={() => void voice.setOnHold(!call.isOnHold)}>
          {call.isOnHold ? t('console.voice.resume') : t('console.voice.hold')}
        </Button>
        <Button icon={<SwapOutlined />} onClick={() => setTransferOpen(true)}>
          {t('console.voice.transfer')}
        </Button>
        <Button type="primary" danger onClick={() => void voice.hangUp()}>
          {t('console.voice.hangUp')}
        </Button>
      </Space>
      <TransferDialog isOpen={isTransferOpen} onClose={() => setTransferOpen(false)} voice={voice} />
    </section>
  );
}

/** A colleague who is online (their console rings; refused if they are on a call), or the queue. */
function TransferDialog({ isOpen, onClose, voice }: { isOpen: boolean; onClose(): void; voice: AgentVoice }) {
  const { t } = useTranslation();
  const staffId = useConsoleStaffId();
  const [agents, setAgents] = useState<StaffWithLoad[]>([]);
  const [chosen, setChosen] = useState<string>();
  const [isSending, setSending] = useState(false);
  useEffect(() => {
    if (!isOpen) return;
    setChosen(undefined);
    listAgents().then(
      ({ agents: all }) => setAgents(all.filter((agent) => agent.id !== staffId && agent.status === 'online' && agent.role !== 'editor')),
      () => setAgents([]),
    );
  }, [isOpen, staffId]);
  const send = async (agentId: string | null) => {
    setSending(true);
    const moved = await voice.transfer(agentId);
    setSending(false);
    if (moved) onClose();
  };
  return (
    <Modal open={isOpen} title={t('console.voice.transferTitle')} onCancel={onClose} footer={null} destroyOnHidden>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Typography.Text>{t('console.voice.transferTo')}</Typography.Text>
        {agents.length === 0 ? (
          <Typography.Text type="secondary">{t('console.voice.transferNobody')}</Typography.Text>
        ) : (
          <Select
            aria-label={t('console.voice.transferPick')}
            placeholder={t('console.voice.transferPick')}
            style={{ width: '100%' }}
            value={chosen}
            onChange={setChosen}
            options={agents.map((agent) => ({ value: agent.id, label: agent.name }))}
          />
        )}
        <Space>
          <Button type="primary" disabled={!chosen} loading={isSending} onClick={() => chosen && void send(chosen)}>
            {t('console.voice.transferToAgent')}
          </Button>
          <Button onClick={() => void send(null)} disabled={isSending}>
            {t('console.voice.transferToQueue')}
          </Button>
        </Space>
      </Space>
    </Modal>
  );
}
